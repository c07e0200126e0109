"""The search benchmark in the wiki's languages: a 10,000-page wiki where a fifth of the pages are
German and a fifth Japanese, what its index weighs and what a query fetches, with and without the
Japanese pages, beside the same wiki in English only.

    python bench/languages.py [--size 10000] [--work DIR] [--out bench/search.md] [--measure-only]

It makes the corpus with the shared generator (../shared/bench/make_corpus.py, as bench/run.py
does), builds it in English only, then rewrites every fifth page into German and builds it again
(`search: {lang: [en, de]}`), then rewrites another fifth into Japanese and builds it a third time
(`lang: [en, de, ja]`). The rewrite is deterministic: a fixed vocabulary, each English word its
German word in one of its inflected forms or its Japanese word, the Japanese words joined by
particles without spaces; pseudo-words stay as they are in German and are written in katakana in
Japanese, tool names stay in Latin letters. On each site bench/search.py types English, German and
Japanese queries in chromium and records the time to the first results and the bytes fetched.

It replaces only its own section of bench/search.md; bench/search.py keeps that section when it
rewrites the rest. `--measure-only` searches the sites an earlier run left in --work again, with
the build figures it recorded: the times to first results are the machine's, and a busy machine
makes them longer.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).parent))
import run  # noqa: E402
import search  # noqa: E402

SECTION = "## Search in the wiki's languages"

#: English word, then its German forms (one chosen per place, so that pages inflect).
GERMAN = """
data Daten|system System Systeme Systems Systemen|service Dienst Dienste Dienstes Diensten|team Team Teams
process Prozess Prozesse Prozesses Prozessen|change Änderung Änderungen|value Wert Werte Wertes Werten
result Ergebnis Ergebnisse Ergebnissen|case Fall Fälle Falls Fällen|point Punkt Punkte Punkten|number Nummer Nummern
part Teil Teile Teilen|level Ebene Ebenen|order Reihenfolge Reihenfolgen|group Gruppe Gruppen
state Zustand Zustände Zustands|list Liste Listen|page Seite Seiten|note Notiz Notizen|rule Regel Regeln
step Schritt Schritte Schritten|test Test Tests|check Prüfung Prüfungen|deploy Bereitstellung Bereitstellungen
release Freigabe Freigaben|version Version Versionen|issue Vorgang Vorgänge Vorgängen|problem Problem Probleme Problemen
error Fehler Fehlern Fehlers|failure Ausfall Ausfälle Ausfällen|fix Korrektur Korrekturen
update Aktualisierung Aktualisierungen|review Begutachtung Begutachtungen|owner Eigentümer Eigentümern
guide Leitfaden Leitfäden|policy Richtlinie Richtlinien|practice Praxis|pattern Muster Mustern
example Beispiel Beispiele Beispielen|reference Verweis Verweise Verweisen|config Konfiguration Konfigurationen
option Option Optionen|default Vorgabe Vorgaben|setting Einstellung Einstellungen|request Anfrage Anfragen
response Antwort Antworten|user Benutzer Benutzern Benutzers|account Konto Konten Kontos|access Zugriff Zugriffe Zugriffs
permission Berechtigung Berechtigungen|role Rolle Rollen|key Schlüssel Schlüsseln|secret Geheimnis Geheimnisse
network Netzwerk Netzwerke Netzwerken|traffic Verkehr|cache Zwischenspeicher Zwischenspeichers|store Speicher Speichern
storage Ablage Ablagen|disk Festplatte Festplatten|file Datei Dateien|folder Ordner Ordnern|path Pfad Pfade Pfaden
queue Warteschlange Warteschlangen|topic Thema Themen|message Nachricht Nachrichten|event Ereignis Ereignisse Ereignissen
log Protokoll Protokolle Protokollen|metric Kennzahl Kennzahlen|alert Alarm Alarme Alarmen|dashboard Übersicht Übersichten
latency Latenz Latenzen|capacity Kapazität Kapazitäten|limit Grenze Grenzen|cost Kosten|region Region Regionen
node Knoten|image Abbild Abbilder|job Auftrag Aufträge Aufträgen|task Aufgabe Aufgaben|schedule Zeitplan Zeitpläne
backup Sicherung Sicherungen|restore Wiederherstellung Wiederherstellungen|replica Kopie Kopien
migration Migration Migrationen|table Tabelle Tabellen|query Abfrage Abfragen|record Datensatz Datensätze Datensätzen
incident Störung Störungen|runbook Betriebshandbuch Betriebshandbücher|escalation Eskalation Eskalationen
priority Priorität Prioritäten|plan Plan Pläne Plänen|design Entwurf Entwürfe|proposal Vorschlag Vorschläge Vorschlägen
decision Entscheidung Entscheidungen|risk Risiko Risiken|customer Kunde Kunden|support Unterstützung
training Schulung Schulungen|handbook Handbuch Handbücher Handbüchern|document Dokument Dokumente Dokumenten
time Zeit Zeiten|way Weg Wege|work Arbeit Arbeiten|monitor überwachen überwacht|install installieren installiert
create erstellen erstellt|delete löschen gelöscht|find finden findet gefunden|keep behalten behält|avoid vermeiden vermieden
improve verbessern verbessert|reduce reduzieren reduziert|increase erhöhen erhöht|measure messen gemessen
verify prüfen geprüft|approve genehmigen genehmigt|run ausführen ausgeführt|start starten gestartet|stop stoppen gestoppt
fast schnell schnelle schnellen|slow langsam langsame|safe sicher sichere sicheren|small klein kleine kleinen
large groß große großen|new neu neue neuen|stable stabil stabile|internal intern interne internen|external extern externe
shared gemeinsam gemeinsame|simple einfach einfache|healthy gesund gesunde|broken defekt defekte|daily täglich tägliche
the der die das den dem|of von des|and und|to zu|in in im|is ist|for für|that dass|on auf|with mit|as als|by durch
this dies diese dieser|it es|be sein|are sind|from aus|at bei|or oder|an ein eine einen|a ein eine|was war|can kann
not nicht|have haben|has hat|all alle|when wenn|if falls|more mehr|will wird|each jede jeder|only nur|also auch
other andere anderen|some einige|these diese|then dann|how wie|must muss|should sollte|after nach|before vor
between zwischen|because weil|while während|without ohne|always immer|never nie|often oft
"""
#: English word, then its Japanese word.
JAPANESE = """
data データ|system システム|service サービス|team チーム|process 処理|change 変更|value 値|result 結果|case 場合
number 番号|part 部分|level 段階|order 順序|group グループ|state 状態|list 一覧|page ページ|note 注記|rule 規則
step 手順|test 試験|check 確認|build ビルド|deploy デプロイ|release リリース|version 版|issue 課題|problem 問題
error エラー|failure 障害|fix 修正|update 更新|review レビュー|owner 担当者|guide 案内|policy 方針|standard 標準
practice 実践|pattern パターン|example 例|reference 参照|config 設定|option 選択肢|default 既定値|setting 設定
request 要求|response 応答|client クライアント|server サーバー|user 利用者|account アカウント|access アクセス
permission 権限|role 役割|token トークン|key 鍵|secret 秘密|network ネットワーク|traffic 通信量|route 経路
gateway ゲートウェイ|proxy プロキシ|cache キャッシュ|store 保存|storage ストレージ|disk ディスク|file ファイル
folder フォルダ|path パス|queue キュー|topic トピック|message メッセージ|event イベント|stream ストリーム|log ログ
metric 指標|alert 警告|dashboard ダッシュボード|trace 追跡|latency 遅延|throughput 処理量|capacity 容量|limit 上限
quota 割当量|cost 費用|budget 予算|region 地域|zone ゾーン|cluster クラスタ|node ノード|container コンテナ
image イメージ|pipeline パイプライン|job ジョブ|task 作業|schedule 予定|backup バックアップ|restore 復元
snapshot スナップショット|replica 複製|migration 移行|schema スキーマ|table 表|index 索引|query 問い合わせ
record 記録|incident インシデント|postmortem 事後検証|runbook 手順書|escalation エスカレーション|oncall 当番
severity 重大度|priority 優先度|ticket チケット|plan 計画|design 設計|proposal 提案|decision 決定|risk 危険性
customer 顧客|support 支援|training 研修|onboarding 受け入れ|handbook 手引き|document 文書|time 時間|work 作業
monitor 監視|install 導入|create 作成|delete 削除|measure 測定|verify 検証|approve 承認|run 実行|start 開始
stop 停止|improve 改善|reduce 削減|increase 増加|fast 高速|slow 低速|safe 安全|small 小規模|large 大規模|new 新規
stable 安定|internal 社内|external 外部|public 公開|private 非公開|shared 共有|simple 単純|complex 複雑
healthy 正常|broken 故障|daily 毎日|weekly 毎週|monthly 毎月|manual 手動|automatic 自動|remote 遠隔|local 手元
"""
PARTICLES = ["の", "を", "に", "は", "が", "と", "で", "から"]
ENDINGS = ["します。", "です。", "。", "してください。", "があります。"]
#: Katakana by romaji, for the corpus' pseudo-words (kamori → カモリ).
_ROWS = {"": "アイウエオ", "k": "カキクケコ", "s": "サシスセソ", "t": "タチツテト", "n": "ナニヌネノ", "h": "ハヒフヘホ",
         "m": "マミムメモ", "y": "ヤイユエヨ", "r": "ラリルレロ", "w": "ワイウエヲ", "g": "ガギグゲゴ", "z": "ザジズゼゾ",
         "d": "ダヂヅデド", "b": "バビブベボ", "p": "パピプペポ"}
_KANA = {consonant + vowel: kana for consonant, row in _ROWS.items() for vowel, kana in zip("aiueo", row, strict=True)}
#: Consonants written as the nearest Japanese has.
_NEAREST = str.maketrans("lvfcqxj", "rbhkkzz")
_LINK = re.compile(r"(\[\[[^\]]*\]\]|\[[^\]]*\]\([^)]*\))")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


def _table(text: str) -> dict[str, list[str]]:
    entries = (entry.split() for line in text.strip().splitlines() for entry in line.split("|"))
    return {entry[0]: entry[1:] for entry in entries if entry}


def _pick(options: list[str], *where: object) -> str:
    digest = hashlib.sha256(":".join(map(str, where)).encode()).digest()
    return options[digest[0] % len(options)]


def katakana(word: str) -> str:
    word = word.lower().translate(_NEAREST)
    out, i = [], 0
    while i < len(word):
        if word[i : i + 2] in _KANA:
            out.append(_KANA[word[i : i + 2]])
            i += 2
            continue
        # A vowel alone, a final n, or a consonant with the vowel Japanese adds to it.
        out.append(_KANA.get(word[i]) or ("ン" if word[i] == "n" else _KANA.get(word[i] + "u", "")))
        i += 1
    return "".join(out)


class Rewriter:
    """Rewrites the corpus' English prose into German or Japanese."""

    def __init__(self, corpus_module: ModuleType) -> None:
        self.german, self.japanese = _table(GERMAN), _table(JAPANESE)
        self.tech = {word.lower() for word in corpus_module.TECH}
        self.english = {word.lower() for word in corpus_module.COMMON}

    def german_words(self, text: str, where: str) -> str:
        def word(match: re.Match[str]) -> str:
            found = match.group(0)
            forms = self.german.get(found.lower())
            if not forms:
                return found
            chosen = _pick(forms, where, match.start())
            return chosen.capitalize() if found[0].isupper() else chosen
        return _WORD.sub(word, text)

    def japanese_sentence(self, words: list[str], where: str) -> str:
        out: list[str] = []
        for number, found in enumerate(words):
            lower = found.lower()
            if lower in self.japanese:
                out.append(self.japanese[lower][0])
            elif lower in self.tech:
                out.append(lower)
            elif lower not in self.english and lower.isalpha():
                out.append(katakana(lower))
            else:
                continue
            out.append(_pick(PARTICLES, where, number))
        return "".join(out[:-1]) if out else ""

    def japanese_text(self, text: str, where: str, sentence: bool = True) -> str:
        parts = []
        for number, chunk in enumerate(re.split(r"(?<=\.)\s+", text.strip())):
            words = _WORD.findall(chunk)
            said = self.japanese_sentence(words, f"{where}:{number}")
            if said:
                parts.append(said + (_pick(ENDINGS, where, number) if sentence else ""))
        return "".join(parts)

    def rewrite(self, text: str, lang: str, where: str) -> str:
        head, _, body = text.partition("\n---\n")
        lines = []
        for line in head.split("\n"):
            key, sep, value = line.partition(": ")
            if sep and key in ("title", "summary") and value.startswith('"'):
                inner = value.strip('"')
                said = (self.german_words(inner, where + key) if lang == "de"
                        else self.japanese_text(inner, where + key, sentence=key == "summary"))
                line = f'{key}: "{said or inner}"'
            lines.append(line)
        lines.append(f"lang: {lang}")
        out, fenced = [], False
        for number, line in enumerate(body.split("\n")):
            if line.startswith("```"):
                fenced = not fenced
                out.append(line)
                continue
            if fenced or not line.strip():
                out.append(line)
                continue
            prefix = re.match(r"^(#+ |- )?", line).group(0)  # type: ignore[union-attr]
            rest = line[len(prefix):]
            pieces = _LINK.split(rest)
            said = []
            for index, piece in enumerate(pieces):
                if index % 2:
                    said.append(piece)
                elif lang == "de":
                    said.append(self.german_words(piece, f"{where}:{number}:{index}"))
                else:
                    said.append(self.japanese_text(piece, f"{where}:{number}:{index}", sentence=not prefix.startswith("#")))
            out.append(prefix + "".join(said))
        return "\n".join(lines) + "\n---\n" + "\n".join(out)


def corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", run.CORPUS_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def share(path: str) -> str:
    """Which fifth of the pages a page is in: 0 German, 1 Japanese, the rest English."""
    return {0: "de", 1: "ja"}.get(hashlib.sha256(path.encode()).digest()[0] % 5, "en")


def rewrite_corpus(corpus: Path, lang: str) -> int:
    """Rewrites this language's fifth of the articles and commits them; returns how many."""
    rewriter = Rewriter(corpus_module())
    content = corpus / "content"
    paths = sorted(path for path in content.rglob("*.md") if path.parent != content and path.parent.name != "people"
                   and share(path.relative_to(content).as_posix()) == lang)
    for path in paths:
        where = path.relative_to(content).as_posix()
        path.write_text(rewriter.rewrite(path.read_text(encoding="utf-8"), lang, where), encoding="utf-8")
    env = os.environ | {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "bench",
                        "GIT_COMMITTER_EMAIL": "bench@example.com", "GIT_AUTHOR_DATE": "2025-01-01T00:00:00Z",
                        "GIT_COMMITTER_DATE": "2025-01-01T00:00:00Z"}
    subprocess.run(["git", "commit", "-q", "-a", "-m", f"Rewrite a fifth of the pages in {lang}"], cwd=corpus, env=env,
                   check=True)
    return len(paths)


GERMAN_QUERIES = ["Fehlern", "Änderung", "Berechtigungen", "Warteschlange", "Sicherungen", "Zwischenspeicher", "Netzwerken",
                  "Dateien", "Störungen Eskalation", "Konfigurationen", "Datensätze", "Bereitstellungen Freigabe"]
JAPANESE_QUERIES = ["障害", "設定", "監視", "手順書", "キャッシュ", "バックアップ", "権限", "遅延", "通信量", "複製", "索引",
                    "kubernetes クラスタ"]
SITES = [("en", "English only", ["en"]), ("en-de", "20% German", ["en", "de"]), ("en-de-ja", "20% German, 20% Japanese",
                                                                               ["en", "de", "ja"])]


def settings(languages: list[str]) -> str:
    return ("site_name: Bench\ndocs_dir: content\ntheme:\n  name: material\nplugins:\n  - kb:\n      search:\n"
            f"        lang: [{', '.join(languages)}]\n")


def _summary(rows: list[tuple[str, float, int, int]]) -> str:
    slowest, largest = max(rows, key=lambda row: row[1]), max(rows, key=lambda row: row[2])
    return (f"{statistics.median(row[1] for row in rows):.0f} | {slowest[1]:.0f} (`{slowest[0]}`) | "
            f"{statistics.median(row[2] for row in rows) / 1024:.0f} | {largest[2] / 1024:.0f} (`{largest[0]}`) | "
            f"{sum(1 for row in rows if row[3])} of {len(rows)}")


#: Per site: its name, its label, its build, its index (files, gzip bytes) and its rows by query set.
Result = tuple[str, str, run.Run, tuple[int, int], dict[str, list[tuple[str, float, int, int]]]]


def section(size: int, results: list[Result], rewritten: dict[str, int]) -> str:
    lines = [SECTION, "",
             "Written by `python bench/languages.py` (it replaces this section only; `bench/search.py` keeps it), on "
             f"{size:,} pages of `make_corpus.py {size}`: {rewritten.get('de', 0):,} rewritten into German and "
             f"{rewritten.get('ja', 0):,} into Japanese (CJK), deterministically, with a fixed vocabulary. Each site is "
             "searched in chromium as above; goals: first results within 300 ms, at most 300 KB (gzip) fetched per query.",
             "", "| site | `search: {lang: …}` | build s | search index s | index files | index KB (gzip) |",
             "|---|---|---:|---:|---:|---:|"]
    for name, label, built, (files, total), _ in results:
        languages = next(langs for key, _, langs in SITES if key == name)
        lines.append(f"| {label} | [{', '.join(languages)}] | {built.wall:.0f} | {built.stages.get('search', 0):.1f} | "
                     f"{files} | {total / 1024:,.0f} |")
    lines += ["", "Per query set: ms to the first results (median, slowest), KB fetched (gzip; median, largest), and how "
              "many queries showed results. A query is typed a letter at a time, and what it fetched counts every search "
              "the box ran on the way, which depends on how fast the machine answered each letter.", "",
              "| site | queries | median ms | slowest ms | median KB | largest KB | with results |",
              "|---|---|---:|---:|---:|---:|---|"]
    for _, label, _, _, measured in results:
        for kind, rows in measured.items():
            lines.append(f"| {label} | {kind} ({len(rows)}) | {_summary(rows)} |")
    lines += ["", "Each query on the site with German and Japanese pages:", "",
              "| query | ms to first result | KB fetched (gzip) | results shown |", "|---|---:|---:|---:|"]
    for _, _, _, _, measured in results[-1:]:
        for rows in measured.values():
            lines += [f"| `{query}` | {ms:.0f} | {fetched / 1024:.0f} | {shown} |" for query, ms, fetched, shown in rows]
    return "\n".join(lines) + "\n"


def write_section(out: Path, text: str) -> None:
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    out.write_text(search.replace_section(old, SECTION, text), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--work", type=Path, help="where the corpus is made (default: a temporary directory)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "search.md")
    parser.add_argument("--measure-only", action="store_true",
                        help="search the sites an earlier run left in --work again, without building them")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="kb-bench-languages-"))
    corpus = work / f"corpus-{args.size}"
    builds = work / f"builds-{args.size}.json"
    if args.measure_only:
        recorded = json.loads(builds.read_text(encoding="utf-8"))
    else:
        # Made afresh every time: the rewrite changes it.
        run.make_corpus(args.size, corpus)
        recorded = {"rewritten": {}, "builds": {}}
    results: list[Result] = []
    for name, label, languages in SITES:
        if not args.measure_only:
            for lang in languages[1:]:
                if lang not in recorded["rewritten"]:
                    recorded["rewritten"][lang] = rewrite_corpus(corpus, lang)
            print(f"bench: {args.size} pages, {label} ...", file=sys.stderr, flush=True)
            built = run.build(args.size, corpus, f"kb-{name}", keep=True, settings=settings(languages))
            if not built.ok:
                raise SystemExit(f"bench: the {label} build failed")
            recorded["builds"][name] = dataclasses.asdict(built)
            builds.write_text(json.dumps(recorded, indent=1), encoding="utf-8")
        built = run.Run(**recorded["builds"][name])
        site = corpus / f"site-kb-{name}"
        measured = {"English": search.measure(site, search.QUERIES)}
        if "de" in languages:
            measured["German"] = search.measure(site, GERMAN_QUERIES)
        if "ja" in languages:
            measured["Japanese"] = search.measure(site, JAPANESE_QUERIES)
        results.append((name, label, built, search.index_size(site), measured))
    write_section(args.out, section(args.size, results, recorded["rewritten"]))
    print(f"bench: wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
