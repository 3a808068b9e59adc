"""Speed row: MLP GAN (100 -> 128 -> 784) on 28x28 grey images, batch 64; target genlab >= 15x the reference loop.
The loops and the JSON are in gan_loop.py.

    python benchmarks/mlp_gan.py --steps 300 --device cpu --threads 2
"""

from gan_loop import main

if __name__ == "__main__":
    main("mlp_gan")
