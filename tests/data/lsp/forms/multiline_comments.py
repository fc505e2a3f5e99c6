import torch


class Net(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.scale = torch.nn.Parameter(  # expect: MP101[torch.nn.Parameter]
            torch.ones(1),  # initial value
            False,  # expect: MP301[False]
        )
