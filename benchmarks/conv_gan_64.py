"""Speed row: conv GAN on 64x64 RGB images, batch 128; target genlab >= 6x the reference loop.
The loops and the JSON are in gan_loop.py.

    python benchmarks/conv_gan_64.py --steps 300 --device cpu --threads 2
"""

from gan_loop import main

if __name__ == "__main__":
    main("conv_gan_64")
