#!/usr/bin/env python3
"""Writes docs/test-api.md, the test API reference, from the XML documentation the build produces.

Usage, from the repository root:

    dotnet build src/Needlework.Cli -c Release
    python3 scripts/api-reference.py [--xml PATH] [--out PATH]

The XML file (GenerateDocumentationFile is on) gives each member's documentation and the types of its
parameters. It does not give parameter names, default values or accessibility, so each member's
declaration is also read from its C# source file: members that are neither public nor protected are left
out, and the signature is shown as declared. A member the XML documents but the source does not declare
is reported on stderr and makes the script exit 1, so a stale reference is noticed; a public or protected
member without documentation is listed as such, with a warning on stderr.
"""

import argparse
import os
import re
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_XML = os.path.join(ROOT, "src/Needlework.Runner/bin/Release/net10.0/Needlework.Runner.xml")
DEFAULT_OUT = os.path.join(ROOT, "docs/test-api.md")

# The types a test author uses, in the order the reference shows them, with the file that declares each.
TYPES = [
    ("Needlework.Runner.Testing.TestModule", "src/Needlework.Runner/Testing/TestModule.cs"),
    ("Needlework.Runner.Testing.TestSchedule", "src/Needlework.Runner/Testing/TestSchedule.cs"),
    ("Needlework.Runner.Testing.NeedleMatch", "src/Needlework.Runner/Testing/NeedleMatch.cs"),
    ("Needlework.Runner.Testing.ModuleFlags", "src/Needlework.Runner/Testing/ModuleFlags.cs"),
    ("Needlework.Runner.Backends.MouseButton", "src/Needlework.Runner/Backends/MouseButton.cs"),
    ("Needlework.Runner.Testing.TestFailedException", "src/Needlework.Runner/Testing/TestFailedException.cs"),
]

# Section headings for TestModule's members, by member name; the rest go under "Other".
GROUPS = [
    ("The module", ["Flags", "Name", "Run", "PostFailHook"]),
    ("Screen checks", ["AssertScreen", "CheckScreen", "MatchHasTag", "AssertAndClick", "ClickLastMatch",
                       "WaitScreenChange", "WaitStillScreen", "SaveScreenshot"]),
    ("Keyboard", ["SendKey", "SendKeyUntilNeedleMatch", "TypeString", "TypePassword", "EnterCmd"]),
    ("Mouse", ["MouseSet", "MouseClick", "MouseDoubleClick", "MouseHide", "MouseDrag"]),
    ("Serial line and shell", ["WaitSerial", "ScriptRun", "AssertScriptRun", "UploadLogs"]),
    ("Results", ["RecordInfo", "RecordSoftFailure"]),
    ("Variables", ["GetVar", "GetRequiredVar", "SetVar", "CheckVar"]),
    ("Power and time", ["Power", "AssertShutdown", "Wait"]),
]

# XML documentation ids name types in full; the source uses C# keywords and short names.
TYPE_ALIASES = {
    "System.String": "string", "System.Double": "double", "System.Int32": "int", "System.Int64": "long",
    "System.Boolean": "bool", "System.Object": "object", "System.Action": "Action", "System.Exception": "Exception",
}


def short_type(xml_type):
    """System.Collections.Generic.IReadOnlyList{System.String} -> IReadOnlyList<string>."""
    def one(name):
        name = name.strip()
        if name in TYPE_ALIASES:
            return TYPE_ALIASES[name]
        return name.split(".")[-1]

    out, token = [], ""
    for ch in xml_type:
        if ch in "{},":
            if token:
                out.append(one(token))
                token = ""
            out.append({"{": "<", "}": ">", ",": ", "}[ch])
        else:
            token += ch
    if token:
        out.append(one(token))
    return "".join(out)


def split_xml_types(text):
    """Splits the parameter types of a documentation id, e.g. 'System.String,System.Double'."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    if current:
        parts.append(current)
    return parts


def split_params(text):
    """Splits a parameter list on top-level commas."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "<([":
            depth += 1
        elif ch in ">)]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current.strip())
    return parts


def param_type(declaration):
    """'IReadOnlyList<string> alternatives' or 'double timeout = 30' -> the type, without nullability."""
    declaration = declaration.split("=")[0].strip()
    declaration = re.sub(r"^(this|params|ref|out|in)\s+", "", declaration)
    type_part = declaration.rsplit(None, 1)[0] if " " in declaration else declaration
    return type_part.replace("?", "").replace(" ", "")


def normalise(text):
    return text.replace(" ", "")


def read_declarations(path, type_name):
    """Every member declaration in the file: (kind, name, parameter types, signature, accessibility)."""
    with open(path, encoding="utf-8") as f:
        source = f.read()
    short = type_name.split(".")[-1]
    declarations = []
    # Drop comments and string contents so neither can look like a declaration.
    code = re.sub(r"//[^\n]*", "", source)

    type_match = re.search(r"^(?P<sig>(public|internal)[^\n{;]*\b(class|record|enum|struct|interface)\s+" + short + r"\b[^\n{]*)", code, re.M)
    if type_match:
        sig = type_match.group("sig").strip()
        if "(" in sig and ")" not in sig:
            start = type_match.start("sig")
            sig = code[start:code.index(")", start) + 1]
        declarations.append(("T", short, None, " ".join(sig.split()), "public"))
        # A positional record's parameters are its properties.
        record = re.search(r"record\s+" + short + r"\s*\(([^)]*)\)", code)
        if record:
            for p in split_params(record.group(1)):
                name = p.split("=")[0].split()[-1]
                declarations.append(("P", name, None, "public " + " ".join(p.split()) + " { get; }", "public"))

    member_re = re.compile(
        r"^\s*(?P<mods>(?:(?:public|protected|internal|private|static|virtual|override|abstract|sealed|new|readonly|async)\s+)+)"
        r"(?P<rest>[^;{=]*?)\b(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<open>[({]|=>)", re.M)
    for m in member_re.finditer(code):
        mods = m.group("mods").split()
        if any(k in m.group("rest").split() for k in ("class", "record", "enum", "struct", "interface")):
            continue
        name = m.group("name")
        access = "public" if "public" in mods else "protected" if "protected" in mods else "other"
        if m.group("open") == "(":
            # Find the matching parenthesis of the parameter list.
            depth, i = 0, m.end("open") - 1
            while True:
                if code[i] == "(":
                    depth += 1
                elif code[i] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            params = code[m.end("open"):i]
            signature = " ".join(code[m.start("mods"):i + 1].split())
            kind = "ctor" if name == short else "M"
            types = [param_type(p) for p in split_params(params)]
            declarations.append((kind, name, types, signature, access))
        else:
            signature = " ".join((m.group("mods") + m.group("rest") + name).split())
            declarations.append(("P", name, None, signature, access))

    if re.search(r"\benum\s+" + short + r"\b", code):
        body = code[code.index("{", code.index("enum " + short)) + 1:]
        body = body[:body.index("}")]
        for line in body.split(","):
            line = re.sub(r"\[[^\]]*\]", "", line).strip()
            if line:
                declarations.append(("F", line.split("=")[0].strip(), None, " ".join(line.split()), "public"))
    return declarations


def find_declaration(declarations, kind, name, xml_types):
    for d_kind, d_name, d_types, signature, access in declarations:
        if d_name != name:
            continue
        if kind == "M" and d_kind in ("M", "ctor"):
            wanted = [normalise(short_type(t)) for t in xml_types]
            if [normalise(t) for t in d_types] == wanted:
                return signature, access
        elif kind in ("P", "F", "T") and d_kind == kind:
            return signature, access
    return None


def inline(element):
    """The text of a documentation element, with <c>, <see>, <paramref> turned into Markdown."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "c":
            parts.append("`" + "".join(child.itertext()) + "`")
        elif child.tag == "see":
            cref = child.get("cref", "")
            if cref:
                # Overloads are told apart by their parameter types: AssertScreen(string, double).
                match = re.match(r"^[A-Z]:([^(]*)(?:\((.*)\))?$", cref)
                target = match.group(1).split(".")[-1]
                if match.group(2):
                    target += "(" + ", ".join(short_type(t) for t in split_xml_types(match.group(2))) + ")"
                parts.append("`" + target + "`")
            else:
                parts.append("`" + (child.get("langword") or "") + "`")
        elif child.tag in ("paramref", "typeparamref"):
            parts.append("`" + child.get("name", "") + "`")
        elif child.tag == "para":
            parts.append("\n\n" + inline(child).strip() + "\n\n")
        elif child.tag == "code":
            parts.append("\n\n```csharp\n" + dedent(child.text or "") + "\n```\n\n")
        else:
            parts.append(inline(child))
        parts.append(child.tail or "")
    text = "".join(parts)
    # Collapse the XML's line breaks and indentation, but keep code blocks as they are.
    chunks = re.split(r"(```csharp\n.*?\n```)", text, flags=re.S)
    return "".join(c if c.startswith("```") else re.sub(r"[ \t]*\n[ \t]*(?!\n)", " ", c) for c in chunks).strip()


def dedent(code):
    lines = code.strip("\n").split("\n")
    indents = [len(l) - len(l.lstrip()) for l in lines if l.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(l[cut:] for l in lines).rstrip()


def document(member):
    """Markdown for a member's summary, params, returns, exceptions and example."""
    out = []
    summary = member.find("summary")
    if summary is not None:
        out.append(inline(summary))
    params = member.findall("param")
    if params:
        out.append("\n".join("- `{}`: {}".format(p.get("name"), inline(p)) for p in params))
    returns = member.find("returns")
    if returns is not None:
        out.append("Returns: " + inline(returns))
    for exception in member.findall("exception"):
        out.append("Throws `{}`: {}".format(exception.get("cref", "")[2:].split(".")[-1], inline(exception)))
    example = member.find("example")
    if example is not None:
        out.append("Example:\n\n" + inline(example))
    return "\n\n".join(o for o in out if o)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--xml", default=DEFAULT_XML)
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()

    if not os.path.exists(args.xml):
        sys.exit(f"{args.xml} does not exist: build first (dotnet build src/Needlework.Cli -c Release)")
    members = {m.get("name"): m for m in ET.parse(args.xml).getroot().iter("member")}
    problems = []  # documented members the source does not declare: the reference would be wrong
    warnings = []  # public or protected members without documentation: listed, but worth documenting

    lines = [
        "# Test API reference",
        "",
        "<!-- Generated by scripts/api-reference.py from the XML documentation of Needlework.Runner. Do not edit by hand. -->",
        "",
        "Generated from the XML documentation comments of `src/Needlework.Runner` by `scripts/api-reference.py`.",
        "To regenerate it after changing the test API, from the repository root:",
        "",
        "```sh",
        "dotnet build src/Needlework.Cli -c Release",
        "python3 scripts/api-reference.py",
        "```",
        "",
        "How to write a test distribution with this API: [writing-tests.md](writing-tests.md). Every timeout below is in",
        "seconds and multiplied by the job variable `TIMEOUT_SCALE`, except `Wait`.",
        "",
        "Contents: " + ", ".join("[{0}](#{1})".format(t.split(".")[-1], t.split(".")[-1].lower()) for t, _ in TYPES),
        "",
    ]

    for type_name, source in TYPES:
        short = type_name.split(".")[-1]
        declarations = read_declarations(os.path.join(ROOT, source), type_name)
        type_doc = members.get("T:" + type_name)
        lines += ["## " + short, ""]
        type_signature = find_declaration(declarations, "T", short, None)
        lines += ["```csharp", "namespace " + type_name.rsplit(".", 1)[0] + ";", "", type_signature[0] if type_signature else short, "```", ""]
        if type_doc is not None:
            lines += [document(type_doc), ""]
        lines += ["Declared in `{}`.".format(source), ""]

        entries = []
        prefix_len = len(type_name) + 3
        for member_id, member in members.items():
            kind = member_id[0]
            if kind == "T" or not member_id[2:].startswith(type_name + "."):
                continue
            rest = member_id[prefix_len:]
            name = rest.split("(")[0]
            if "." in name and not name.startswith("#"):
                continue  # a nested type's member
            xml_types = []
            if "(" in rest:
                xml_types = split_xml_types(rest[rest.index("(") + 1:-1])
            if name == "#ctor":
                name = short
                if type_doc is not None and member.find("summary") is not None and \
                        inline(member.find("summary")) == inline(type_doc.find("summary")) and not member.findall("param"):
                    # A positional record's constructor repeats the type's summary; its parameters are listed as properties.
                    found = find_declaration(declarations, "M", short, xml_types)
                    if found is None:
                        continue
            found = find_declaration(declarations, "M" if kind == "M" else kind, name, xml_types)
            if found is None:
                problems.append(f"{member_id}: documented, but no matching declaration in {source}")
                continue
            signature, access = found
            if access not in ("public", "protected") and kind != "F":
                continue
            entries.append((name, signature, document(member)))

        # Public or protected members the XML does not document are listed too, so nothing is hidden.
        documented = {e[1] for e in entries}
        for d_kind, d_name, _, signature, access in declarations:
            if d_kind == "T" or access not in ("public", "protected") or signature in documented:
                continue
            if d_kind == "F":
                entries.append((d_name, signature, ""))
                continue
            if d_kind == "P" and "record" in (type_signature[0] if type_signature else ""):
                # A positional record's properties are documented by <param> on the type, when they are.
                param = type_doc.find(f"param[@name='{d_name}']") if type_doc is not None else None
                entries.append((d_name, signature, inline(param) if param is not None else ""))
                continue
            if d_kind in ("M", "P", "ctor"):
                entries.append((d_name, signature, "*(not documented)*"))
                warnings.append(f"{type_name}.{d_name}: public or protected but not documented")

        if type_name.endswith("TestModule"):
            grouped = []
            for heading, names in GROUPS:
                grouped.append((heading, [e for n in names for e in entries if e[0] == n]))
            known = {n for _, names in GROUPS for n in names}
            other = [e for e in entries if e[0] not in known]
            if other:
                grouped.append(("Other", other))
        else:
            grouped = [(None, entries)]

        for heading, group in grouped:
            if not group:
                continue
            if heading:
                lines += ["### " + heading, ""]
            for name, signature, doc in group:
                lines += ["#### {}.{}".format(short, name) if heading else "### {}.{}".format(short, name), "",
                          "```csharp", signature, "```", ""]
                if doc:
                    lines += [doc, ""]

    text = "\n".join(lines).rstrip() + "\n"
    text = re.sub(r"\n{3,}", "\n\n", text)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(args.out, ROOT)}")
    for w in warnings:
        print("warning: " + w, file=sys.stderr)
    for p in problems:
        print("error: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
