from torch.nn.parameter import Parameter

__all__ = ["Parameter"]
