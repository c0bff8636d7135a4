"""NanoRnn host tools: export PyTorch recurrent models to `.nrnn` blobs and run them bit-exactly."""
