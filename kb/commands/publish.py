"""`kb build`: build the site next to the published one and swap it in only when the build
succeeded, so a failed build leaves the last good site in place, never half of a new one.

The site engine runs in its own process (the core never imports it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from kb.siteconfig import read_site_settings


def build_site(config_file: Path, strict: bool = True, site_dir: Path | None = None) -> int:
    """Run `mkdocs build` into a fresh directory beside the site, then replace the site with it.
    Returns the build's exit status; the published site changes only when it is 0."""
    site = (site_dir or read_site_settings(config_file).site_dir).resolve()
    staging = site.with_name(f".{site.name}.building-{os.getpid()}")
    retired = site.with_name(f".{site.name}.previous-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "--config-file", str(config_file), "--site-dir", str(staging)]
    if strict:
        command.append("--strict")
    status = subprocess.run(command).returncode
    if status != 0 or not (staging / "index.html").is_file():
        shutil.rmtree(staging, ignore_errors=True)
        print(f"kb: the build failed; {site} is unchanged", file=sys.stderr)
        return status or 1
    # Two renames on one file system: readers see the old site or the new one, never a mix.
    if site.exists():
        site.rename(retired)
    staging.rename(site)
    shutil.rmtree(retired, ignore_errors=True)
    print(f"kb: published {site}", file=sys.stderr)
    return 0
