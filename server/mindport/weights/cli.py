"""``mindport weights map | convert`` (argparse wiring; the work is in mapping and convert)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2


def _error(message: str) -> None:
    print(f"mindport: {message}", file=sys.stderr)


def _mapping(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from mindport.weights.mapping import map_model

    try:
        source = Path(args.model).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        _error(f"{args.model}: cannot read: {error}")
        return None
    config = None
    if args.config is not None:
        try:
            config = json.loads(Path(args.config).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            _error(f"{args.config}: cannot read: {error}")
            return None
        if not isinstance(config, dict):
            _error(f"{args.config}: expected a JSON object")
            return None
    try:
        return map_model(source, args.class_name, args.target, config=config, path=Path(args.model))
    except SyntaxError as error:
        _error(f"{args.model}:{error.lineno}: syntax error ({error.msg})")
        return None


def _shape(shape: tuple[int, ...] | None) -> str:
    return "?" if shape is None else str(tuple(shape))


def _map(args: argparse.Namespace) -> int:
    mapping = _mapping(args)
    if mapping is None:
        return EXIT_ERROR
    if args.format == "json":
        print(json.dumps(mapping.to_json(), indent=1))
    else:
        print(f"# {mapping.model} -> MindSpore ({mapping.target}): {len(mapping.rows)} weights")
        for row in mapping.rows:
            if row.mindspore_name is None:
                print(f"{row.torch_key}  (dropped: {row.layer} in MindSpore keeps no such counter)")
                continue
            line = f"{row.torch_key} -> {row.mindspore_name}  {_shape(row.torch_shape)}"
            if row.reshaped or row.sample is not None:
                line += f" -> {_shape(row.mindspore_shape)} (reshape)"
            print(line)
        for name in mapping.mindspore_only:
            print(f"{name}  (MindSpore only: keeps its initial value)")
    for problem in mapping.problems:
        _error(problem)
    return EXIT_PROBLEMS if mapping.problems else EXIT_CLEAN


def _convert(args: argparse.Namespace) -> int:
    from mindport.weights.convert import MissingExtra, convert, read_checkpoint, write

    mapping = _mapping(args)
    if mapping is None:
        return EXIT_ERROR
    try:
        tensors = read_checkpoint(Path(args.checkpoint))
    except MissingExtra as error:
        _error(str(error))
        return EXIT_ERROR
    except (OSError, ValueError, RuntimeError) as error:
        _error(f"{args.checkpoint}: cannot read: {error}")
        return EXIT_ERROR
    result = convert(mapping, tensors)
    for message in result.errors:
        _error(message)
    if result.errors:
        _error(f"nothing written: {len(result.errors)} error(s)")
        return EXIT_PROBLEMS
    try:
        write(result, Path(args.output))
    except OSError as error:
        _error(f"{args.output}: cannot write: {error}")
        return EXIT_ERROR
    print(
        f"{args.output}: {len(result.written)} weights written"
        f" ({len(result.renamed)} renamed, {len(result.reshaped)} reshaped,"
        f" {len(result.dropped)} torch-only counters left out), 0 unmatched keys; load it with"
        " model.load_state_dict(mindspore.load_checkpoint(path)) (buffers included) or"
        " mindspore.load_param_into_net (parameters only)",
        file=sys.stderr,
    )
    return EXIT_CLEAN


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    weights = commands.add_parser(
        "weights", help="map and convert a model's trained weights (torch -> MindSpore)"
    )
    sub = weights.add_subparsers(dest="weights_command", required=True, metavar="WEIGHTS_COMMAND")

    def model(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("model", metavar="MODEL_SOURCE", help="the .py file defining the model")
        parser.add_argument(
            "--class",
            dest="class_name",
            metavar="NAME",
            help="the model class (default: the outermost)",
        )
        parser.add_argument("--target", choices=["mint", "classic"], default="mint")
        parser.add_argument(
            "--config",
            metavar="CONFIG.json",
            help="values of the model's `config` argument (e.g. a Hugging Face config.json)",
        )

    mapper = sub.add_parser("map", help="print torch state-dict keys -> MindSpore parameter names")
    model(mapper)
    mapper.add_argument("--format", choices=["text", "json"], default="text")
    mapper.set_defaults(run=_map)

    converter = sub.add_parser("convert", help="write a MindSpore .ckpt from a torch checkpoint")
    model(converter)
    converter.add_argument("checkpoint", metavar="CHECKPOINT", help=".pt, .pth or .safetensors")
    converter.add_argument("-o", "--output", required=True, metavar="OUT.ckpt")
    converter.set_defaults(run=_convert)
