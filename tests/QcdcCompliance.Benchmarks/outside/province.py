# A findings-heavy province written the way a check from outside would write one, not by the benchmark's generator:
# CSV as a spreadsheet saves it (UTF-8 with a BOM, CRLF, ';'), names in decomposed Unicode, yes/no as có/không/TRUE/1,
# some unit codes in lower case. Province HX: 20 districts of 30 communes; per commune its UBND, 8 villages, 3 agencies,
# 13 public service units, 300 non-state enterprises (a third with a union) and, in three communes of ten, a state
# enterprise: 195,166 units. 90% of the units that owe indicators report part of what they owe in 2020S1 and in 2020,
# 7% all of it, 3% nothing (462,712 values with seed 7). Usage: python3 province.py DIR [SEED]; then run.sh.
import random, sys, unicodedata, os
random.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
P = "HX"
def nfd(s): return unicodedata.normalize("NFD", s)
def w(name, header, rows, sep=";"):
    with open(os.path.join(out, name), "w", encoding="utf-8-sig", newline="") as f:
        f.write(sep.join(header) + "\r\n")
        for r in rows: f.write(sep.join("" if v is None else str(v) for v in r) + "\r\n")
areas = [(P, nfd("Tỉnh Hà Xuyên"), "Province", "", "", "")]
communes = []
for d in range(1, 21):
    dc = f"{P}-D{d:02d}"; areas.append((dc, nfd(f"Huyện Đồng Thịnh {d}"), "District", P, "", ""))
    for c in range(1, 31):
        cc = f"{dc}-X{c:03d}"; areas.append((cc, nfd(f"Xã Hưng Lộc {d}-{c}"), "Commune", dc, "", "")); communes.append(cc)
w("areas.csv", ["code","name","level","parent_code","valid_from","valid_to"], areas)
units = []
def add(code, name, kind, area, union, head): units.append((code, nfd(name), kind, area, "có" if union else "không", head, "", "", ""))
for cc in communes:
    add("UB-"+cc, f"UBND xã {cc}", "Commune", cc, True, 40)
    for v in range(1, 9): add(f"TH-{cc}-{v:02d}", f"Thôn Phước {v}", "Village", cc, False, 0)
    for a in range(1, 4): add(f"CQ-{cc}-{a}", f"Phòng Tư pháp {a}", "StateAgency", cc, True, 20)
    for s in range(1, 14): add(f"SN-{cc}-{s:02d}", f"Trường Tiểu học {s}", "PublicServiceUnit", cc, True, 30)
    if random.random() < 0.3: add(f"DNNN-{cc}", f"Công ty TNHH MTV Điện lực", "StateEnterprise", cc, True, 200)
    for e in range(1, 301): add(f"DN-{cc}-{e:03d}", f"Công ty cổ phần Thương mại {e}", "NonStateEnterprise", cc, random.random() < 0.33, random.randint(5, 300))
w("units.csv", ["code","name","kind","area_code","has_trade_union","headcount","contact_email","active_from","active_to"], units)
# What each kind may report (INDICATORS.md), half-year and year.
H = {"Commune": ["REGULATION_ISSUED","PEOPLE_INFORMED","PEOPLE_TO_INFORM","DISCLOSURE_POSTED","INSPECTION_BOARD_CONSTITUTED","CITIZEN_RECEPTION_DAYS","MEDIATION_CASES","MEDIATION_SUCCESSES","COMPLAINTS_RECEIVED","COMPLAINTS_RESOLVED","DIALOGUE_CONFERENCES"],
     "StateAgency": ["REGULATION_ISSUED","PEOPLE_INFORMED","PEOPLE_TO_INFORM","DISCLOSURE_POSTED","INSPECTION_BOARD_CONSTITUTED","COMPLAINTS_RECEIVED","COMPLAINTS_RESOLVED"],
     "PublicServiceUnit": ["REGULATION_ISSUED","PEOPLE_INFORMED","PEOPLE_TO_INFORM","DISCLOSURE_POSTED","INSPECTION_BOARD_CONSTITUTED"],
     "StateEnterprise": ["REGULATION_ISSUED","PEOPLE_INFORMED","PEOPLE_TO_INFORM","DISCLOSURE_POSTED","INSPECTION_BOARD_CONSTITUTED"],
     "NonStateEnterpriseU": ["REGULATION_ISSUED","PEOPLE_INFORMED","PEOPLE_TO_INFORM","DISCLOSURE_POSTED"],
     "NonStateEnterprise": ["REGULATION_ISSUED","PEOPLE_INFORMED","PEOPLE_TO_INFORM"],
     "Village": []}
Y = {"StateAgency": ["STAFF_CONFERENCE_HELD"], "PublicServiceUnit": ["STAFF_CONFERENCE_HELD"],
     "StateEnterprise": ["CLA_SIGNED","WORKER_CONFERENCE_HELD","WORKPLACE_DIALOGUES"],
     "NonStateEnterpriseU": ["CLA_SIGNED","WORKER_CONFERENCE_HELD","WORKPLACE_DIALOGUES"],
     "NonStateEnterprise": ["WORKPLACE_DIALOGUES"], "Village": ["VILLAGE_CONVENTION_RECOGNISED"], "Commune": ["NEW_RURAL_STANDARD"]}
BOOL = {"REGULATION_ISSUED","DISCLOSURE_POSTED","INSPECTION_BOARD_CONSTITUTED","STAFF_CONFERENCE_HELD","CLA_SIGNED","WORKER_CONFERENCE_HELD","VILLAGE_CONVENTION_RECOGNISED","NEW_RURAL_STANDARD"}
def val(ind, head):
    if ind in BOOL: return random.choice(["có","có","có","không","TRUE","1"])
    if ind == "PEOPLE_TO_INFORM": return head
    if ind == "PEOPLE_INFORMED": return head if random.random() < 0.8 else max(0, head - random.randint(1, 5))
    if ind == "CITIZEN_RECEPTION_DAYS": return random.randint(8, 14)
    if ind in ("MEDIATION_CASES","COMPLAINTS_RECEIVED"): return random.randint(2, 10)
    if ind in ("MEDIATION_SUCCESSES","COMPLAINTS_RESOLVED"): return random.randint(0, 2)
    return random.randint(0, 5)
rows = []; n = 0
for u in units:
    code, _, kind, _, union, head = u[:6]
    k = kind + ("U" if kind == "NonStateEnterprise" and union == "có" else "")
    for period, owed in (("2020S1", H[k]), ("2020", Y[k])):
        if not owed: continue
        r = random.random()
        if r < 0.9: chosen = random.sample(owed, max(1, len(owed) - random.randint(1, len(owed))) ) if len(owed) > 1 else ([] if random.random() < 0.5 else owed)
        elif r < 0.97: chosen = owed
        else: chosen = []
        for ind in chosen:
            v = val(ind, head)
            if ind == "MEDIATION_SUCCESSES" or ind == "COMPLAINTS_RESOLVED": pass
            rows.append((code.lower() if random.random() < 0.05 else code, period, ind, v, nfd("ghi chú đã kiểm tra") if random.random() < 0.01 else ""))
w("values.csv", ["unit_code","period","indicator","value","comment"], rows)
print(len(areas), "areas", len(units), "units", len(rows), "values")
