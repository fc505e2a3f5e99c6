import torch
import mindspore


class Net(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.scale = mindspore.Parameter(  # expect: MP101[torch.nn.Parameter]
            torch.ones(1),  # initial value
            requires_grad=False,  # expect: MP301[False]
        )
