"""MindPort: PyTorch-to-MindSpore porting assistance in the editor and on the command line."""

__version__ = "0.1.0"
