"""Labelled member references on real code, by running it (no MindPort involved).

    python tests/data/realcode/members.py deps    # the projects' own small dependencies
    python tests/data/realcode/members.py label   # write members.json (needs torch 2.13.0)

The pinned wheels (see census.py) are unpacked into the cache and imported through a loader
that rewrites every attribute read ``recv.attr`` of the project's own modules into a probe
call that records, at that position, what ``recv`` and the value read really were, then
returns the value (nothing else of the program changes). Small drivers (``DRIVERS``) run
typical code paths of five projects: ODE solvers, metrics, vision filters and geometry, graph
layers, NLP models and Gaussian processes. A label is made only from what was observed:

- ``member``: the receiver was a tensor and torch.Tensor has the attribute
  (``torch.Tensor.view`` at ``view``); the receiver was a torch layer / optimizer and the
  attribute comes from torch's class (``torch.nn.Module.parameters``,
  ``torch.optim.Optimizer.step``);
- ``instance``: a project object's attribute held a torch layer (``self.fc`` holding
  ``nn.Linear``: ``torch.nn.Linear`` at ``self.fc``);
- ``not torch``: the receiver was something else (a project object, a library's object, a
  number...), the negative positions.

A position seen with different labels (a function called with a tensor and with a float) is
left out. Attribute reads on modules and classes are names (census.py labels those).
"""

from __future__ import annotations

import ast
import builtins
import importlib.abc
import importlib.machinery
import json
import os
import subprocess
import sys
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MEMBERS = HERE / "members.json"
sys.path.insert(0, str(HERE.parents[2]))

from tests.data.realcode.census import cache_dir, projects, unpack  # noqa: E402

# The projects' own dependencies that the shared environment lacks, installed with
# ``pip install --no-deps --target <cache>/deps`` (only for labelling; CI never runs this).
DEPS = [
    "certifi==2026.10.19.post1",
    "charset_normalizer==3.5.3",
    "huggingface_hub==0.36.2",
    "idna==3.20",
    "jaxtyping==0.3.11",
    "kornia_rs==0.2.0",
    "lightning_utilities==0.15.3",
    "linear_operator==0.6.1",
    "pyyaml==6.0.4",
    "regex==2026.11.19",
    "requests==2.34.2",
    "tokenizers==0.21.4",
    "tqdm==4.70.1",
    "urllib3==2.8.0",
    "wadler_lindig==0.1.8",
]
PROBE = "__mindport_probe__"


# -- the rewriting loader ---------------------------------------------------------------------


class _Rewrite(ast.NodeTransformer):
    def __init__(self, keys: list[tuple[int, int, int, int, str]]) -> None:
        self.keys = keys

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        if not isinstance(node.ctx, ast.Load) or node.attr.startswith("_"):
            return node
        assert node.end_lineno is not None and node.end_col_offset is not None
        self.keys.append(
            (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset, node.attr)
        )
        call = ast.Call(
            func=ast.Name(id=PROBE, ctx=ast.Load()),
            args=[node.value, ast.Constant(node.attr), ast.Constant(len(self.keys) - 1)],
            keywords=[],
        )
        return ast.copy_location(call, node)


class _Loader(importlib.machinery.SourceFileLoader):
    recorder: Recorder

    def source_to_code(self, data: Any, path: Any, *, _optimize: int = -1) -> Any:  # type: ignore[override]
        text = importlib.util.decode_source(data)
        tree = ast.parse(text, filename=str(path))
        keys: list[tuple[int, int, int, int, str]] = []
        tree = ast.fix_missing_locations(_Rewrite(keys).visit(tree))
        file_id = self.recorder.add_file(str(path), text, keys)
        # the key of each probe is (file, index): offset the indices by the file's id
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == PROBE
            ):
                index = node.args[2]
                assert isinstance(index, ast.Constant)
                index.value = (file_id, index.value)
        return compile(tree, path, "exec", dont_inherit=True)


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, roots: Sequence[Path], recorder: Recorder) -> None:
        self.roots = [str(r) for r in roots]
        self.recorder = recorder

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return spec
        if not any(spec.origin.startswith(root + os.sep) for root in self.roots):
            return spec
        loader = _Loader(name, spec.origin)
        loader.recorder = self.recorder
        spec.loader = loader
        return spec


# -- what a probe saw --------------------------------------------------------------------------


class Recorder:
    def __init__(self, roots: dict[str, Path]) -> None:
        import torch

        self.torch = torch
        self.roots = roots  # project -> unpacked directory
        self.files: list[tuple[str, str, str, list[tuple[int, int, int, int, str]]]] = []
        self.seen: dict[tuple[int, int], set[str]] = {}
        self._cache: dict[tuple[int, int, type, type], str] = {}
        self._public = self._public_classes()
        parameter = torch.nn.Parameter(torch.zeros(1))
        self._set_by_torch = {
            a
            for a in (*vars(torch.nn.Module()), *vars(torch.optim.SGD([parameter], lr=0.1)))
            if not a.startswith("_")
        }

    def _public_classes(self) -> dict[type, str]:
        torch = self.torch
        found: dict[type, str] = {}
        for module_name in ("torch.optim", "torch.nn", "torch.optim.lr_scheduler"):
            module = importlib.import_module(module_name)
            for attr in dir(module):
                value = getattr(module, attr)
                if isinstance(value, type) and not attr.startswith("_"):
                    found.setdefault(value, f"{module_name}.{attr}")
        found[torch.Tensor] = "torch.Tensor"
        return found

    def add_file(self, path: str, text: str, keys: list[tuple[int, int, int, int, str]]) -> int:
        for project, root in self.roots.items():
            if path.startswith(str(root) + os.sep):
                relative = os.path.relpath(path, root).replace(os.sep, "/")
                self.files.append((project, relative, text, keys))
                return len(self.files) - 1
        raise AssertionError(path)

    def probe(self, receiver: Any, attr: str, key: tuple[int, int]) -> Any:
        value = getattr(receiver, attr)
        cache_key = (key[0], key[1], type(receiver), type(value))
        label = self._cache.get(cache_key)
        if label is None:
            label = self._label(receiver, attr, value)
            self._cache[cache_key] = label
        if label:
            self.seen.setdefault(key, set()).add(label)
        return value

    def _torch_defines(self, cls: type, attr: str) -> str | None:
        """The public torch class (of ``cls``'s chain) whose own dict defines ``attr``."""
        for klass in cls.__mro__:
            if attr in vars(klass):
                if klass.__module__.split(".")[0] != "torch":
                    return None  # the project (or another library) defines or overrides it
                for base in klass.__mro__:
                    if base in self._public and hasattr(base, attr):
                        name = self._public[base]
                        if name.startswith("torch.nn.") and base is not self.torch.nn.Module:
                            name = (
                                "torch.nn.Module" if hasattr(self.torch.nn.Module, attr) else name
                            )
                        return f"{name}.{attr}"
                return None
        return None

    def _label(self, receiver: Any, attr: str, value: Any) -> str:
        torch = self.torch
        if isinstance(receiver, types.ModuleType | type):
            return ""  # a name: census.py labels those
        if isinstance(receiver, super):
            return ""  # ``super().train``: the class that answers is not the receiver's type
        if isinstance(receiver, torch.Tensor):
            defined = self._torch_defines(type(receiver), attr)
            if defined is None and hasattr(torch.Tensor, attr):
                defined = f"torch.Tensor.{attr}"
            if defined and defined.startswith("torch.nn.Parameter."):
                defined = f"torch.Tensor.{attr}"
            return f"member {defined}" if defined else "member not torch"
        if isinstance(receiver, torch.nn.Module | torch.optim.Optimizer):
            defined = self._torch_defines(type(receiver), attr)
            if defined:
                return f"member {defined}"
            if attr in self._set_by_torch:
                return ""  # an attribute torch's constructor sets (training, param_groups)
        if isinstance(value, torch.nn.Module) and type(value) in self._public:
            return f"instance {self._public[type(value)]}"
        if type(receiver).__module__.split(".")[0] == "torch":
            return ""  # a torch object of another kind (a device, a dtype, a size): not judged
        return "member not torch"

    def labels(self) -> list[dict[str, Any]]:
        rows = []
        for (file_id, index), seen in self.seen.items():
            if len(seen) != 1:
                continue  # the same code saw different kinds of receiver
            kind, _, api = next(iter(seen)).partition(" ")
            project, path, text, keys = self.files[file_id]
            line, col, end_line, end_col, attr = keys[index]
            lines = text.splitlines()
            if kind == "instance":
                column = len(lines[line - 1].encode("utf-8")[:col].decode("utf-8", "replace"))
                at_line, source = line, ast.get_source_segment(text, _node(keys[index])) or ""
            else:
                end = len(lines[end_line - 1].encode("utf-8")[:end_col].decode("utf-8", "replace"))
                column, at_line, source = end - len(attr), end_line, attr
            rows.append(
                {
                    "project": project,
                    "path": path,
                    "line": at_line,
                    "column": column,
                    "text": source,
                    "kind": kind,
                    "api": api,
                }
            )
        rows.sort(key=lambda r: (r["project"], r["path"], r["line"], r["column"]))
        return rows


def _node(key: tuple[int, int, int, int, str]) -> ast.AST:
    node = ast.Name(id="x")
    node.lineno, node.col_offset, node.end_lineno, node.end_col_offset = key[:4]
    return node


# -- the drivers: typical code paths of each project ------------------------------------------


def drive_torchdiffeq() -> None:
    import torch
    import torchdiffeq

    class Decay(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.rate = torch.nn.Parameter(torch.tensor([0.7, 1.3]))

        def forward(self, t: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
            return -self.rate * y + torch.sin(t)

    func = Decay()
    y0 = torch.tensor([1.0, 2.0])
    t = torch.linspace(0.0, 1.0, 5)
    for method in ("dopri5", "bosh3", "adaptive_heun", "fehlberg2", "dopri8", "rk4", "euler"):
        torchdiffeq.odeint(func, y0, t, method=method, rtol=1e-4, atol=1e-5)
    for method in ("midpoint", "explicit_adams", "implicit_adams"):
        torchdiffeq.odeint(func, y0, t, method=method, options={"step_size": 0.1})
    out = torchdiffeq.odeint_adjoint(func, y0, t, method="dopri5", rtol=1e-4, atol=1e-5)
    out.sum().backward()

    def event(t: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return y[0] - 0.5

    torchdiffeq.odeint_event(func, y0, torch.tensor(0.0), event_fn=event, method="dopri5")


def drive_torchmetrics() -> None:
    import torch
    import torchmetrics
    import torchmetrics.functional as tf

    g = torch.Generator().manual_seed(0)
    probs = torch.rand(32, 4, generator=g).softmax(-1)
    target = torch.randint(0, 4, (32,), generator=g)
    for name in ("accuracy", "f1_score", "precision", "recall", "auroc", "average_precision"):
        getattr(tf, name)(probs, target, task="multiclass", num_classes=4)
    tf.confusion_matrix(probs, target, task="multiclass", num_classes=4)
    tf.precision_recall_curve(probs[:, 1], (target == 1).int(), task="binary")
    tf.roc(probs[:, 1], (target == 1).int(), task="binary")
    preds, real = torch.randn(50, generator=g), torch.randn(50, generator=g)
    for name in (
        "mean_squared_error",
        "mean_absolute_error",
        "r2_score",
        "pearson_corrcoef",
        "spearman_corrcoef",
        "explained_variance",
        "cosine_similarity",
    ):
        getattr(tf, name)(preds, real) if name != "cosine_similarity" else tf.cosine_similarity(
            preds[None], real[None]
        )
    images = torch.rand(2, 3, 32, 32, generator=g)
    noisy = (images + 0.05 * torch.randn(2, 3, 32, 32, generator=g)).clamp(0, 1)
    tf.peak_signal_noise_ratio(noisy, images, data_range=1.0)
    tf.structural_similarity_index_measure(noisy, images, data_range=1.0)
    audio = torch.randn(2, 800, generator=g)
    tf.signal_noise_ratio(audio + 0.1, audio)
    tf.scale_invariant_signal_distortion_ratio(audio + 0.1, audio)
    for metric in (
        torchmetrics.Accuracy(task="multiclass", num_classes=4),
        torchmetrics.F1Score(task="multiclass", num_classes=4, average="macro"),
        torchmetrics.AUROC(task="multiclass", num_classes=4),
    ):
        metric.update(probs, target)
        metric.update(probs.flip(0), target)
        metric.compute()
        metric.reset()
    collection = torchmetrics.MetricCollection(
        [torchmetrics.MeanSquaredError(), torchmetrics.MeanAbsoluteError()]
    )
    collection(preds, real)
    collection.compute()
    mean = torchmetrics.MeanMetric()
    mean.update(preds)
    mean.compute()


def drive_kornia() -> None:
    import kornia
    import torch

    g = torch.Generator().manual_seed(0)
    image = torch.rand(2, 3, 32, 32, generator=g)
    kornia.filters.gaussian_blur2d(image, (5, 5), (1.5, 1.5))
    kornia.filters.sobel(image)
    kornia.filters.median_blur(image, (3, 3))
    kornia.filters.laplacian(image, 3)
    kornia.filters.canny(image)
    gray = kornia.color.rgb_to_grayscale(image)
    hsv = kornia.color.rgb_to_hsv(image)
    kornia.color.hsv_to_rgb(hsv)
    kornia.color.rgb_to_lab(image)
    kornia.color.rgb_to_ycbcr(image)
    kornia.geometry.transform.rotate(image, torch.tensor([30.0, 45.0]))
    kornia.geometry.transform.resize(image, (16, 16))
    kornia.geometry.transform.warp_affine(image, torch.eye(2, 3).repeat(2, 1, 1), (32, 32))
    kornia.geometry.transform.warp_perspective(image, torch.eye(3).repeat(2, 1, 1), (32, 32))
    kornia.geometry.conversions.rotation_matrix_to_quaternion(torch.eye(3).repeat(2, 1, 1))
    kornia.geometry.linalg.transform_points(torch.eye(3)[None], torch.rand(1, 5, 2, generator=g))
    kornia.morphology.dilation(gray, torch.ones(3, 3))
    kornia.morphology.erosion(gray, torch.ones(3, 3))
    kornia.enhance.adjust_brightness(image, 0.1)
    kornia.enhance.normalize(image, torch.tensor([0.5] * 3), torch.tensor([0.2] * 3))
    kornia.losses.ssim_loss(image, image.flip(-1), 5)
    kornia.losses.focal_loss(
        torch.randn(4, 3, generator=g), torch.tensor([0, 1, 2, 1]), alpha=0.5, reduction="mean"
    )
    augment = kornia.augmentation.AugmentationSequential(
        kornia.augmentation.RandomHorizontalFlip(p=1.0),
        kornia.augmentation.ColorJitter(0.1, 0.1, 0.1, 0.1, p=1.0),
        kornia.augmentation.RandomAffine(degrees=10.0, p=1.0),
    )
    augment(image)


def drive_torch_geometric() -> None:
    import torch
    from torch_geometric import nn as gnn
    from torch_geometric import utils
    from torch_geometric.data import Batch, Data

    g = torch.Generator().manual_seed(0)
    x = torch.randn(6, 8, generator=g)
    edge_index = torch.tensor([[0, 1, 2, 3, 4, 5, 0], [1, 2, 3, 4, 5, 0, 3]])
    edge_index = utils.to_undirected(edge_index)
    utils.add_self_loops(edge_index)
    utils.degree(edge_index[0], 6)
    utils.softmax(torch.randn(edge_index.size(1), generator=g), edge_index[1])
    utils.dropout_edge(edge_index, p=0.2)
    utils.to_dense_adj(edge_index)
    data = Data(x=x, edge_index=edge_index, y=torch.tensor([1]))
    batch = Batch.from_data_list([data, data])
    for layer in (
        gnn.GCNConv(8, 4),
        gnn.GATConv(8, 4, heads=2),
        gnn.SAGEConv(8, 4),
        gnn.GINConv(torch.nn.Linear(8, 4)),
        gnn.GraphConv(8, 4),
        gnn.TransformerConv(8, 4),
    ):
        layer.reset_parameters()
        layer(batch.x, batch.edge_index)
    gnn.global_mean_pool(batch.x, batch.batch)
    gnn.global_max_pool(batch.x, batch.batch)
    gnn.global_add_pool(batch.x, batch.batch)
    model = gnn.models.GCN(8, 16, num_layers=2, out_channels=3)
    model(batch.x, batch.edge_index).sum().backward()


def drive_transformers() -> None:
    import torch
    import transformers as tr

    g = torch.Generator().manual_seed(0)
    ids = torch.randint(0, 90, (2, 12), generator=g)
    mask = torch.ones_like(ids)
    small = {"hidden_size": 32, "num_attention_heads": 4, "num_hidden_layers": 2}
    models = [
        tr.BertModel(tr.BertConfig(vocab_size=99, intermediate_size=64, **small)),
        tr.GPT2LMHeadModel(tr.GPT2Config(vocab_size=99, n_embd=32, n_head=4, n_layer=2)),
        tr.LlamaForCausalLM(
            tr.LlamaConfig(vocab_size=99, intermediate_size=64, num_key_value_heads=2, **small)
        ),
        tr.T5ForConditionalGeneration(
            tr.T5Config(
                vocab_size=99,
                d_model=32,
                d_ff=64,
                num_heads=4,
                num_layers=2,
                d_kv=8,
                decoder_start_token_id=0,
                pad_token_id=0,
            )
        ),
        tr.ViTModel(tr.ViTConfig(image_size=32, patch_size=8, intermediate_size=64, **small)),
    ]
    for model in models:
        model.eval()
        with torch.no_grad():
            if isinstance(model, tr.ViTModel):
                model(pixel_values=torch.rand(2, 3, 32, 32, generator=g))
            elif isinstance(model, tr.T5ForConditionalGeneration):
                model(input_ids=ids, attention_mask=mask, labels=ids)
            else:
                model(input_ids=ids, attention_mask=mask)
    models[1].generate(ids[:, :4], max_new_tokens=3, do_sample=False, pad_token_id=0)
    models[2].generate(ids[:, :4], max_new_tokens=3, do_sample=False, pad_token_id=0)


def drive_gpytorch() -> None:
    import gpytorch
    import torch

    g = torch.Generator().manual_seed(0)
    train_x = torch.linspace(0, 1, 20)
    train_y = torch.sin(train_x * 6.0) + 0.1 * torch.randn(20, generator=g)

    class GP(gpytorch.models.ExactGP):
        def __init__(self, likelihood: Any) -> None:
            super().__init__(train_x, train_y, likelihood)
            self.mean_module = gpytorch.means.ConstantMean()
            self.covar_module = gpytorch.kernels.ScaleKernel(gpytorch.kernels.RBFKernel())

        def forward(self, x: Any) -> Any:
            mean, covar = self.mean_module(x), self.covar_module(x)
            return gpytorch.distributions.MultivariateNormal(mean, covar)

    likelihood = gpytorch.likelihoods.GaussianLikelihood()
    model = GP(likelihood)
    model.train()
    likelihood.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    mll = gpytorch.mlls.ExactMarginalLogLikelihood(likelihood, model)
    for _ in range(3):
        optimizer.zero_grad()
        loss = -mll(model(train_x), train_y)
        loss.backward()
        optimizer.step()
    model.eval()
    likelihood.eval()
    with torch.no_grad(), gpytorch.settings.fast_pred_var():
        prediction = likelihood(model(torch.linspace(0, 1, 7)))
        prediction.mean
        prediction.confidence_region()


DRIVERS: dict[str, tuple[str, Callable[[], None]]] = {
    "torchdiffeq==0.2.5": ("torchdiffeq", drive_torchdiffeq),
    "torchmetrics==1.7.1": ("torchmetrics", drive_torchmetrics),
    "kornia==0.8.1": ("kornia", drive_kornia),
    "torch-geometric==2.6.1": ("torch_geometric", drive_torch_geometric),
    "transformers==4.51.3": ("transformers", drive_transformers),
    "gpytorch==1.14": ("gpytorch", drive_gpytorch),
}


# -- commands ----------------------------------------------------------------------------------


def label(cache: Path, only: Sequence[str] = ()) -> list[dict[str, Any]]:
    import torch
    import warnings

    assert torch.__version__.startswith("2.13.0"), torch.__version__
    warnings.filterwarnings("ignore")
    sys.dont_write_bytecode = True
    wanted = [p["wheel"] for p in projects() if p["wheel"] in DRIVERS]
    wanted = [w for w in wanted if not only or w in only]
    roots = {spec: unpack(spec, cache) for spec in wanted}
    recorder = Recorder(roots)
    setattr(builtins, PROBE, recorder.probe)
    sys.path[:0] = [*(str(r) for r in roots.values()), str(cache / "deps")]
    sys.meta_path.insert(0, _Finder(list(roots.values()), recorder))
    torch.manual_seed(0)
    for spec in wanted:
        package, drive = DRIVERS[spec]
        drive()
        print(f"{spec}: driven", file=sys.stderr)
    return recorder.labels()


def main(argv: list[str]) -> int:
    cache = cache_dir()
    if argv[:1] == ["deps"]:
        installed = {p.name.split("-")[0].lower() for p in (cache / "deps").glob("*.dist-info")}
        if {d.split("==")[0].lower() for d in DEPS} <= installed:
            return 0
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "-q",
                "--no-deps",
                "--target",
                str(cache / "deps"),
                *DEPS,
            ],
            check=True,
        )
        return 0
    if argv[:1] == ["label"]:
        rows = label(cache, argv[1:])
        MEMBERS.write_text(json.dumps(rows, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{MEMBERS}: {len(rows)} labelled member references")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
