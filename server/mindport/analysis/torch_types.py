"""What torch calls return, for the static pass's receiver types and the shipped stubs.

The knowledge base says which APIs exist; it does not say what they return. Receiver types
need that for the common tensor-producing APIs only, so this module keeps a short, reviewed
table. A type is the public name of a class (``torch.Tensor``, ``torch.nn.Linear``) or
``TENSORS``, a tuple of tensors (``x.chunk(2)``), whose items are tensors.

Everything here is a fact about torch itself: the static pass, the stub generator
(``mindport.stubs.generate``) and the tests read the same table.
"""

from __future__ import annotations

TENSOR = "torch.Tensor"
TENSORS = "torch.Tensor[]"  # a tuple or list of tensors
SIZE = "torch.Size"
PARAMETER = "torch.nn.Parameter"
MODULE = "torch.nn.Module"
OPTIMIZER = "torch.optim.Optimizer"
SELF = "<self>"  # a method that returns its receiver (``module.to(device)``)


def _names(prefix: str, text: str) -> frozenset[str]:
    return frozenset(f"{prefix}{name}" for name in text.split())


def words(text: str) -> frozenset[str]:
    return _names("", text)


# Functions whose result is a tensor, whatever the arguments.
TENSOR_FUNCTIONS = _names(
    "torch.",
    """
    tensor as_tensor from_numpy zeros ones empty full rand randn randint randperm arange
    linspace logspace eye zeros_like ones_like empty_like full_like rand_like randn_like
    randint_like normal bernoulli multinomial cat concat concatenate stack hstack vstack
    dstack reshape flatten squeeze unsqueeze transpose permute t narrow index_select
    masked_select gather scatter where clamp clip tril triu roll flip repeat_interleave
    cumsum cumprod diag abs exp log log2 log1p sqrt rsqrt sin cos tan tanh sigmoid relu
    softmax log_softmax matmul mm bmm einsum mul add sub div pow mean sum prod std var norm
    argmax argmin logsumexp maximum minimum sign floor ceil round erf outer dot cross cdist
    bucketize lerp addmm baddbmm isnan isinf isfinite eq ne gt lt ge le logical_and
    logical_or logical_not all any nonzero masked_fill dropout square neg reciprocal
    atan2 fmod remainder trace kron tensordot broadcast_to expand_copy
    """,
) | _names(
    "torch.nn.functional.",
    """
    relu relu6 gelu silu elu selu leaky_relu softplus softmax log_softmax sigmoid tanh
    hardtanh hardswish mish glu dropout dropout2d linear bilinear conv1d conv2d conv3d
    conv_transpose2d max_pool1d max_pool2d avg_pool1d avg_pool2d adaptive_avg_pool1d
    adaptive_avg_pool2d adaptive_max_pool2d interpolate upsample pad normalize
    cross_entropy mse_loss l1_loss smooth_l1_loss nll_loss binary_cross_entropy
    binary_cross_entropy_with_logits kl_div layer_norm batch_norm group_norm
    instance_norm embedding one_hot cosine_similarity grid_sample affine_grid unfold fold
    pixel_shuffle scaled_dot_product_attention
    """,
)

# Functions whose result is a tuple of tensors.
TENSORS_FUNCTIONS = _names("torch.", "split chunk unbind meshgrid broadcast_tensors")

# ``torch.Tensor`` methods whose result is a tensor.
TENSOR_METHODS = words(
    """
    view view_as reshape reshape_as permute transpose t contiguous flatten squeeze
    unsqueeze expand expand_as repeat repeat_interleave sum mean std var prod argmax argmin
    abs exp log sqrt rsqrt pow clamp clamp_ clip float double half bfloat16 long int bool
    byte to cuda cpu detach detach_ clone masked_fill masked_fill_ fill_ zero_ add add_ sub
    sub_ mul mul_ div div_ matmul mm bmm softmax log_softmax relu sigmoid tanh type_as
    new_zeros new_ones new_full new_empty new_tensor index_select gather scatter scatter_
    scatter_add narrow flip roll norm cumsum masked_select nonzero eq ne gt lt ge le all
    any sign floor ceil round requires_grad_ copy_ uniform_ normal_ unfold neg square
    reciprocal logsumexp where triu tril diag sin cos exp_ log_softmax float_power
    """
)

TENSORS_METHODS = words("split chunk unbind")

# Attributes of a tensor and their types.
TENSOR_ATTRIBUTES: dict[str, str] = {
    "T": TENSOR,
    "mT": TENSOR,
    "H": TENSOR,
    "data": TENSOR,
    "grad": TENSOR,
    "real": TENSOR,
    "imag": TENSOR,
    "shape": SIZE,
    "dtype": "torch.dtype",
    "device": "torch.device",
}

# ``torch.nn.Module`` methods that return the module itself.
MODULE_SELF_METHODS = words(
    "to cuda cpu train eval float double half bfloat16 requires_grad_ type apply"
)

# Attributes that most layers have.
MODULE_ATTRIBUTES: dict[str, str] = {"weight": PARAMETER, "bias": PARAMETER}

# Modules whose call does not return a single tensor.
NON_TENSOR_MODULES = _names(
    "torch.nn.",
    """
    RNN LSTM GRU MultiheadAttention ModuleList ModuleDict ParameterList ParameterDict
    AdaptiveLogSoftmaxWithLoss
    """,
)

# Common layers and optimizers, so that the stubs have them even before the knowledge
# base does (the stubs also get every class the knowledge base names).
MODULE_CLASSES = _names(
    "torch.nn.",
    """
    Linear Bilinear Identity Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d
    ConvTranspose3d BatchNorm1d BatchNorm2d BatchNorm3d LayerNorm GroupNorm InstanceNorm2d
    Dropout Dropout2d Embedding EmbeddingBag ReLU ReLU6 LeakyReLU PReLU ELU SELU GELU SiLU
    Mish Sigmoid Tanh Softmax LogSoftmax Softplus Hardswish Hardtanh MaxPool1d MaxPool2d
    MaxPool3d AvgPool1d AvgPool2d AvgPool3d AdaptiveAvgPool1d AdaptiveAvgPool2d
    AdaptiveMaxPool2d Flatten Unflatten Upsample PixelShuffle ZeroPad2d Sequential
    MSELoss L1Loss SmoothL1Loss CrossEntropyLoss NLLLoss BCELoss BCEWithLogitsLoss
    KLDivLoss CosineSimilarity TransformerEncoder TransformerEncoderLayer
    TransformerDecoder TransformerDecoderLayer Transformer
    """,
)
OPTIMIZER_CLASSES = _names("torch.optim.", "SGD Adam AdamW RMSprop Adagrad Adadelta Adamax")

# The legacy tensor types: constructors of a dtype, and in annotations plain tensors
# (``input_ids: torch.LongTensor``); ``isinstance(torch.zeros(1), torch.FloatTensor)`` holds.
LEGACY_TENSOR_TYPES = _names(
    "torch.",
    """
    FloatTensor DoubleTensor HalfTensor BFloat16Tensor LongTensor IntTensor ShortTensor
    CharTensor ByteTensor BoolTensor
    """,
)

# Classes with a known base that the prefix rules below do not give.
_BASES: dict[str, str] = {
    PARAMETER: TENSOR,
    # nn.Buffer is a tensor subclass, not a layer, though it lives in torch.nn.
    "torch.nn.Buffer": TENSOR,
    "torch.nn.parameter.Buffer": TENSOR,
    **dict.fromkeys(LEGACY_TENSOR_TYPES, TENSOR),
}

# Lower-case names that are classes all the same.
_CLASSES = frozenset({"torch.dtype", "torch.device", "torch.finfo", "torch.iinfo"})


def is_class(name: str) -> bool:
    """True for class names such as ``torch.nn.Linear`` (calling them makes an instance)."""
    last = name.rsplit(".", 1)[-1]
    return name in _CLASSES or (name.startswith("torch.") and last[:1].isupper())


def base_of(cls: str) -> str | None:
    """The torch class whose members ``cls`` inherits, if any."""
    if cls in _BASES:
        return _BASES[cls]
    if cls.startswith("torch.nn.") and cls not in (MODULE, PARAMETER):
        head, _, last = cls.rpartition(".")
        if head in ("torch.nn", "torch.nn.modules") and last[:1].isupper():
            return MODULE
    if cls.startswith("torch.optim.") and cls != OPTIMIZER and cls.count(".") == 2:
        return OPTIMIZER
    return None


def is_module_class(cls: str) -> bool:
    return cls == MODULE or base_of(cls) == MODULE


def class_chain(cls: str) -> list[str]:
    """``cls`` and its torch bases, nearest first."""
    chain = [cls]
    while (base := base_of(chain[-1])) is not None and base not in chain:
        chain.append(base)
    return chain


def call_result(name: str) -> str | None:
    """The type of ``name(...)`` for a public torch name."""
    if name in TENSOR_FUNCTIONS:
        return TENSOR
    if name in TENSORS_FUNCTIONS:
        return TENSORS
    if is_class(name):
        return name
    return None


def member_type(cls: str, member: str, called: bool) -> str | None:
    """The type of ``value.member`` (or ``value.member(...)`` when ``called``)."""
    chain = class_chain(cls)
    if TENSOR in chain:
        if called:
            if member in TENSOR_METHODS:
                return TENSOR
            if member in TENSORS_METHODS:
                return TENSORS
            return None
        return TENSOR_ATTRIBUTES.get(member)
    if MODULE in chain:
        if called:
            return cls if member in MODULE_SELF_METHODS else None
        return MODULE_ATTRIBUTES.get(member)
    return None


def instance_call_result(cls: str) -> str | None:
    """The type of calling an instance of ``cls`` (``self.fc(x)``)."""
    if is_module_class(cls) and cls != MODULE and cls not in NON_TENSOR_MODULES:
        return TENSOR
    return None


# APIs whose result is a named tuple ``(values, indices)`` in torch (with ``dim`` where the
# API also has a plain form: ``x.max()`` is a tensor, and then nothing reads ``.values``).
# MindSpore returns plain tuples for all of them (checked in
# tests/frameworks/test_after_port_facts.py); indexing reads both.
VALUES_INDICES = words(
    """
    max min sort topk kthvalue median nanmedian mode cummax cummin
    """
)
NAMED_TUPLE_FIELDS = {"values": 0, "indices": 1}


def named_tuple_api(name: str) -> bool:
    """``torch.max``, ``torch.Tensor.topk``...: a torch API whose result has .values/.indices."""
    module, _, last = name.rpartition(".")
    return module in ("torch", "torch.Tensor") and last in VALUES_INDICES
