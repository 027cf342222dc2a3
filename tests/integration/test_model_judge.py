"""`mangaassist eval calibrate --judge model:NAME` through the provider layer, against a
loopback server speaking Anthropic's wire format."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mangaassist.testing.llm_servers import anthropic_server

VERDICT = '{"helpfulness": 4, "tone": 5, "reasoning": 4, "rationale": "grounded and polite"}'
LABELS = """
- id: l1
  lang: en
  turns: ["what is your return policy?"]
  intent: faq
  answer: "Unopened items can be returned within 15 days of delivery."
  human: pass
- id: l2
  lang: en
  turns: ["recommend something like Berserk"]
  intent: recommendation
  answer: "Read the FAQ yourself."
  human: fail
"""


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mangaassist.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_calibrate_with_a_model_judge_asks_the_provider_once_per_item(tmp_path: Path) -> None:
    labels = tmp_path / "labels.yaml"
    labels.write_text(LABELS, encoding="utf-8")
    pieces = tuple(VERDICT[i : i + 9] for i in range(0, len(VERDICT), 9))
    with anthropic_server(words=pieces) as claude:
        provider = {"kind": "anthropic", "model": "claude-haiku-4-5", "api_key": "k"}
        env = {
            "MANGAASSIST_STATE_DIR": str(tmp_path / "state"),
            "MANGAASSIST_LLM__PROVIDERS": json.dumps(
                {"judge": provider | {"base_url": claude.base_url}}
            ),
        }
        args = ["eval", "calibrate", "--labels", str(labels), "--judge", "model:judge", "--json"]
        first = run(args, env)
        again = run(args, env)
        calls = len(claude.script.requests)
        system = claude.script.requests[0]["system"]
    assert first.returncode == 0, first.stderr
    result = json.loads(first.stdout)
    assert result["items"] == 2
    assert result["errors"] == 0
    assert result["accuracy"] == 0.5  # the scripted judge passes both; a human failed one
    assert again.returncode == 0
    assert calls == 2  # the second run was answered from the judge cache
    assert "helpfulness" in system


def test_an_unknown_judge_provider_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run(
        ["eval", "calibrate", "--judge", "model:nope"],
        {"MANGAASSIST_STATE_DIR": str(tmp_path)},
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "no provider 'nope'" in result.stderr
