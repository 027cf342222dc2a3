from __future__ import annotations

from pathlib import Path

import grpc
import pytest

from mangaassist.store.errors import BadResponse
from mangaassist.store.grpc_client import GrpcCatalog
from mangaassist.storefront import protogen
from mangaassist.storefront.grpc_gen import catalog_pb2_grpc


def test_committed_code_is_what_protogen_generates(tmp_path: Path) -> None:
    written = protogen.generate(tmp_path)
    assert sorted(p.name for p in written) == sorted([*protogen.OUTPUTS, "__init__.py"])
    for path in written:
        committed = protogen.GEN_DIR / path.name
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), path.name


def test_generated_grpc_module_imports_from_the_package() -> None:
    text = (protogen.GEN_DIR / "catalog_pb2_grpc.py").read_text(encoding="utf-8")
    assert "from mangaassist.storefront.grpc_gen import catalog_pb2" in text
    assert "mangaassist.catalog.v1 import" not in text


def test_main_reports_where_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert protogen.main(["--out", str(tmp_path / "gen")]) == 0
    assert (tmp_path / "gen" / "catalog_pb2.py").is_file()
    assert str(tmp_path / "gen") in capsys.readouterr().out


async def test_base_servicer_answers_unimplemented() -> None:

    server = grpc.aio.server()
    catalog_pb2_grpc.add_CatalogServicer_to_server(catalog_pb2_grpc.CatalogServicer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    client = GrpcCatalog(f"127.0.0.1:{port}")
    with pytest.raises(BadResponse, match="UNIMPLEMENTED"):
        await client.list_series()
    await client.aclose()
    await server.stop(None)
