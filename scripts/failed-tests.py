#!/usr/bin/env python3
"""Prints a `dotnet test --filter` expression that selects the failed tests of a TRX file (nothing if none)."""
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
root = ET.parse(sys.argv[1]).getroot()
failed_ids = {r.get("testId") for r in root.iter(NS + "UnitTestResult") if r.get("outcome") in ("Failed", "Error", "Timeout")}
names = set()
for definition in root.iter(NS + "UnitTest"):
    if definition.get("id") in failed_ids:
        method = definition.find(NS + "TestMethod")
        names.add(f"{method.get('className')}.{method.get('name')}")
print("|".join(f"FullyQualifiedName~{n}" for n in sorted(names)))
