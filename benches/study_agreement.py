"""study_agreement.py RADIOME_STUDY.csv PYRADIOMICS.csv MODE: checks that radiome's study row of
each case (columns <sequence>_<region>_<feature>) equals PyRadiomics' rows for the same
extractions (manifest rows in order: per case, dce intra, dce peri, t2fs intra, ... adc peri),
feature by feature, within relative 1e-6 (absolute 1e-6 near 0). Prints the agreement."""
import csv
import math
import sys

radiome_path, pyradiomics_path, mode = sys.argv[1:4]
ours = list(csv.DictReader(open(radiome_path)))
theirs = list(csv.DictReader(open(pyradiomics_path)))
prefixes = [f"{s}_{r}_" for s in ("dce", "t2fs", "adc") for r in ("intra", "peri")]
compared = agreed = 0
worst = []
for index, reference in enumerate(theirs):
    case, prefix = ours[index // 6], prefixes[index % 6]
    for name, value in reference.items():
        if name.startswith("diagnostics_") or name in ("Image", "Mask"):
            continue
        a, b = float(case[prefix + name]), float(value)
        compared += 1
        if math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6) or (math.isnan(a) and math.isnan(b)):
            agreed += 1
        else:
            worst.append(f"{case['case_id']} {prefix}{name}: radiome {a!r}, PyRadiomics {b!r}")
print(f"{mode}: {agreed}/{compared} feature values agree with PyRadiomics (relative 1e-6)")
for line in worst[:20]:
    print("  " + line)
sys.exit(0 if compared > 0 and agreed == compared else 1)
