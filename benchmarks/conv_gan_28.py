"""Speed row: conv GAN on 28x28 grey images, batch 64; target genlab >= 6x the reference loop.
The loops and the JSON are in gan_loop.py.

    python benchmarks/conv_gan_28.py --steps 300 --device cpu --threads 2
"""

from gan_loop import main

if __name__ == "__main__":
    main("conv_gan_28")
