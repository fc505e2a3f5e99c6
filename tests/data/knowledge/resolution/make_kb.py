"""Write the small knowledge base the resolver tests use (run from the repository root):

    python tests/data/knowledge/resolution/make_kb.py
    mindport kb index --knowledge tests/data/knowledge/resolution

Entries are "consistent" one-liners: the resolver tests only need the names to exist.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent

FUNCTIONS = """
torch.randn torch.zeros torch.ones torch.tensor torch.arange torch.cat torch.stack torch.relu
torch.matmul torch.sum torch.softmax torch.flatten torch.exp torch.where torch.from_numpy
torch.manual_seed torch.save torch.load torch.chunk torch.sigmoid torch.max
torch.nn.functional.relu torch.nn.functional.softmax torch.nn.functional.cross_entropy
torch.nn.functional.dropout torch.nn.functional.gelu torch.nn.functional.linear
torch.nn.functional.interpolate torch.nn.init.xavier_uniform_ torch.nn.init.zeros_
"""
CLASSES = """
torch.Tensor torch.device torch.no_grad torch.nn.Module torch.nn.Linear torch.nn.Conv2d
torch.nn.ReLU torch.nn.Sequential torch.nn.Dropout torch.nn.BatchNorm2d torch.nn.LSTM
torch.nn.Embedding torch.nn.LayerNorm torch.nn.ModuleList torch.nn.MaxPool2d
torch.nn.CrossEntropyLoss torch.optim.Adam torch.optim.SGD torch.optim.Optimizer
torch.utils.data.DataLoader torch.utils.data.Dataset
"""
ATTRIBUTES = "torch.float32 torch.long torch.cuda.is_available"
TENSOR_METHODS = """
view permute sum mean to reshape transpose contiguous size dim unsqueeze squeeze float
detach cpu numpy item matmul softmax max flatten repeat expand chunk split clone type
masked_fill values copy_ add mul div tolist long argmax cuda norm abs bool fill_ zero_
clamp_ detach_ backward
"""
TENSOR_ATTRIBUTES = "shape dtype device T grad data"
MODULE_METHODS = """
parameters named_parameters train eval to cuda state_dict load_state_dict zero_grad
forward apply children modules register_buffer
"""
OPTIMIZER_METHODS = "step zero_grad"


def mindspore_name(torch_name: str) -> tuple[str, str]:
    """(target id, MindSpore name) for a torch name."""
    if torch_name.startswith("torch.Tensor."):
        return "classic", "mindspore.Tensor." + torch_name.rsplit(".", 1)[1]
    if torch_name.startswith("torch.nn.Module."):
        return "classic", "mindspore.nn.Cell." + torch_name.rsplit(".", 1)[1]
    if torch_name == "torch.nn.Module":
        return "classic", "mindspore.nn.Cell"
    if torch_name == "torch.nn.Linear":
        return "classic", "mindspore.nn.Dense"
    if torch_name == "torch.Tensor":
        return "classic", "mindspore.Tensor"
    if torch_name.startswith(("torch.optim.", "torch.utils.", "torch.cuda.")):
        return "classic", "mindspore." + torch_name.split(".", 1)[1]
    if torch_name.startswith("torch.nn.functional."):
        return "mint", "mindspore.mint.nn.functional." + torch_name.rsplit(".", 1)[1]
    if torch_name.startswith("torch.nn."):
        return "mint", "mindspore.mint.nn." + torch_name.split(".", 2)[2]
    return "mint", "mindspore.mint." + torch_name.split(".", 1)[1]


def entry(name: str, kind: str) -> str:
    target_id, target = mindspore_name(name)
    extra = {
        "torch.relu": 'aliases = ["mindspore.ops.relu"]\n',
        "torch.cat": 'aliases = ["mindspore.ops.cat"]\n',
    }.get(name, "")
    return (
        f'format = 1\nid = "{name}"\ntier = "core"\ncategory = "consistent"\n\n'
        f'[torch]\nname = "{name}"\nkind = "{kind}"\n\n'
        f'[targets.{target_id}]\nname = "{target}"\nkind = "{kind}"\n{extra}'
    )


def main() -> None:
    names: dict[str, str] = {}
    for name in FUNCTIONS.split():
        names[name] = "function"
    for name in CLASSES.split():
        names[name] = "class"
    for name in ATTRIBUTES.split():
        names[name] = "attribute" if name != "torch.cuda.is_available" else "function"
    for member in TENSOR_METHODS.split():
        names[f"torch.Tensor.{member}"] = "method"
    for member in TENSOR_ATTRIBUTES.split():
        names[f"torch.Tensor.{member}"] = "attribute"
    for member in MODULE_METHODS.split():
        names[f"torch.nn.Module.{member}"] = "method"
    for member in OPTIMIZER_METHODS.split():
        names[f"torch.optim.Optimizer.{member}"] = "method"
    for name, kind in names.items():
        namespace, _, short = name.rpartition(".")
        path = ROOT / "apis" / namespace / f"{short}.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():  # entries edited by hand (e.g. view.toml's note) are kept
            path.write_text(entry(name, kind), encoding="utf-8")


if __name__ == "__main__":
    main()
