using System.Globalization;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Demo;

/// <summary>The shape of a generated province: its districts and how many units of each kind it holds.</summary>
public sealed record ProvinceProfile(
    string Code,
    string Name,
    IReadOnlyList<string> Districts,
    int Communes,
    int VillagesPerCommune,
    int Agencies,
    int PublicServiceUnits,
    int StateEnterprises,
    int NonStateEnterprises,
    double TradeUnionShare,
    int ArmedForces)
{
    /// <summary>The communes left after the 2025 reform merged them, about three into one (the demo: 208 into 69, Hà Tĩnh's count since then).</summary>
    public int CommunesAfterReform { get; init; } = Math.Max(1, (Communes + 2) / 3);

    /// <summary>
    /// The units of the kinds above, as they were before the 2025 reform. The generator adds a front and
    /// mass-organisation unit to each commune, a Ban Dân vận to each district and to the province, and the merged
    /// communes' own units from 1/7/2025.
    /// </summary>
    public int UnitCount => Communes * (1 + VillagesPerCommune) + Agencies + PublicServiceUnits + StateEnterprises + NonStateEnterprises + ArmedForces;
}

/// <summary>
/// Generates one province deterministically: the tree before and after 1 July 2025 (districts abolished, communes
/// merged about three into one, each new commune straight under the province, the old ones mapped onto it by the
/// lineage), its units, and their values for the given periods. Compliance rates vary by district so that some areas
/// fall short; totals of a period can be pinned to figures from the seeds. The figures that belong to the front and
/// the mass organisations (propaganda) and to the Ban Dân vận ("Dân vận khéo" models) are reported by units of those
/// kinds only: one per commune, and one per district and for the province.
/// </summary>
public sealed class ProvinceGenerator(ProvinceProfile profile, int seed)
{
    public static readonly DateOnly DistrictsAbolished = new(2025, 7, 1);

    /// <summary>What the front and mass organisations (MT) and the Ban Dân vận (DV) report, and no other unit.</summary>
    private static readonly Dictionary<UnitKind, string[]> FiguresOf = new()
    {
        [UnitKind.FrontAndMassOrganisations] = ["PROPAGANDA_SESSIONS", "PROPAGANDA_ATTENDEES"],
        [UnitKind.MassMobilisationBoard] = ["MODELS_REGISTERED", "MODELS_RECOGNISED", "MODELS_EXEMPLARY"],
    };

    private static readonly HashSet<string> HeldByOrganisations = FiguresOf.Values.SelectMany(v => v).ToHashSet();

    private readonly Random _random = new(seed);

    // The organisations and the 2025 communes draw from their own sequence, so every other unit's figures are what
    // they were before those units existed.
    private readonly Random _organisations = new(seed ^ 0x2025);
    private readonly List<(UnitRow Unit, int District)> _units = [];
    private double[] _districtQuality = [];

    /// <summary>Totals per (period, indicator) that the generated values must add up to (figures of the seed reports).</summary>
    public Dictionary<(string Period, string Indicator), long> PinnedTotals { get; } = new();

    /// <summary>Per district index, the exact (population, met) of DN-CĐ collective agreements in year periods, to pin edges.</summary>
    public Dictionary<int, (int Population, int Signed)> PinnedAgreementShares { get; } = new();

    /// <summary>Units that report nothing in a period, and units that leave one indicator out (the deliberate gaps).</summary>
    public int SilentUnitsPerPeriod { get; init; } = 4;
    public int PartialUnitsPerPeriod { get; init; } = 4;

    /// <summary>
    /// Enterprises hold workplace dialogues as the law in force asks: every three months under Decree 60/2013 (to
    /// 31/1/2021, so 3 to 5 a year then), once a year since; off, 1 to 3 a year throughout (the benchmarks' data, kept
    /// as it was generated).
    /// </summary>
    public bool DialoguesByTheLaw { get; init; }

    /// <summary>Front or Ban Dân vận units that report nothing in a period that asks them for something.</summary>
    public int SilentOrganisationsPerPeriod { get; init; } = 1;

    public IReadOnlyList<UnitRow> Units => _units.Select(u => u.Unit).ToList();

    public void GenerateStructure(DemoDataSet set)
    {
        var p = profile;
        set.Areas.Add(new AreaRow(p.Code, p.Name, "Province", null, null, null));
        var dayBefore = DistrictsAbolished.AddDays(-1);
        var districtCodes = new List<string>();
        for (var d = 0; d < p.Districts.Count; d++)
        {
            var code = $"{p.Code}-D{d + 1:00}";
            districtCodes.Add(code);
            set.Areas.Add(new AreaRow(code, p.Districts[d], "District", p.Code, null, dayBefore));
            // District-level agencies answer to the province once districts are abolished.
            set.Lineage.Add(new LineageRow(code, p.Code, DistrictsAbolished));
        }

        _districtQuality = p.Districts.Select(_ => 0.80 + (_random.NextDouble() * 0.18)).ToArray();
        var agreementsPerDistrict = new int[p.Districts.Count];
        var communeCodes = new List<(string Code, int District)>();
        for (var c = 0; c < p.Communes; c++)
        {
            var district = c * p.Districts.Count / p.Communes;
            var code = $"{districtCodes[district]}-X{c + 1:000}";
            var name = CommuneName(c);
            communeCodes.Add((code, district));
            set.Areas.Add(new AreaRow(code, name, "Commune", districtCodes[district], null, dayBefore));
            AddUnit(new UnitRow($"UB-{code}", $"UBND {name}", "Commune", code, true, 25 + _random.Next(20), Email($"ubnd.{Slug(code)}"), null, dayBefore), district);
            for (var v = 0; v < p.VillagesPerCommune; v++)
            {
                AddUnit(new UnitRow($"TH-{code}-{v + 1:00}", $"Thôn {VillageNames[(c + v) % VillageNames.Length]} {v + 1}, {name}", "Village", code, false,
                    0, null, null, null), district);
            }
        }

        for (var i = 0; i < p.Agencies; i++)
        {
            var (area, district) = PlaceOffice(i, p.Agencies, districtCodes, p.Code);
            // A department of the province is a "Sở", of a district a "Phòng"; the area follows in lower case ("Sở Tư pháp tỉnh Hà Tĩnh").
            var names = area == p.Code ? ProvinceAgencyNames : DistrictAgencyNames;
            AddUnit(new UnitRow($"CQ-{p.Code}-{i + 1:0000}", $"{names[i % names.Length]} {Lower(AreaLabel(area, district))}", "StateAgency", area, true,
                15 + _random.Next(60), Email($"cq{i + 1}.{Slug(p.Code)}"), null, null), district);
        }

        for (var i = 0; i < p.PublicServiceUnits; i++)
        {
            var (area, district) = communeCodes[(i * 7) % communeCodes.Count];
            AddUnit(new UnitRow($"SN-{p.Code}-{i + 1:00000}", $"{ServiceNames[i % ServiceNames.Length]} số {i + 1}", "PublicServiceUnit", area, true,
                20 + _random.Next(80), Email($"sn{i + 1}.{Slug(p.Code)}"), null, null), district);
        }

        for (var i = 0; i < p.StateEnterprises; i++)
        {
            var (area, district) = communeCodes[(i * 13) % communeCodes.Count];
            AddUnit(new UnitRow($"DNNN-{p.Code}-{i + 1:000}", $"Công ty TNHH MTV {EnterpriseNames[i % EnterpriseNames.Length]} {p.Name} {i + 1}", "StateEnterprise", area,
                i % 9 != 8, 80 + _random.Next(900), Email($"dnnn{i + 1}.{Slug(p.Code)}"), null, null), district);
        }

        for (var i = 0; i < p.NonStateEnterprises; i++)
        {
            var (area, district) = communeCodes[_random.Next(communeCodes.Count)];
            var union = _random.NextDouble() < p.TradeUnionShare;

            // A few enterprises closed before 2020 and a few opened during 2020: they test the denominators.
            DateOnly? from = i % 97 == 5 ? new DateOnly(2020, 3, 15) : null;
            // Never both: one opened in 2020 cannot have closed in 2019 (the two cycles first meet at the 4,856th enterprise).
            DateOnly? to = from is null && i % 101 == 7 ? new DateOnly(2019, 12, 31) : null;
            if (PinnedAgreementShares.TryGetValue(district, out var pinned))
            {
                union = from is null && to is null && agreementsPerDistrict[district] < pinned.Population;
                if (union)
                    agreementsPerDistrict[district]++;
            }

            AddUnit(new UnitRow($"DN-{p.Code}-{i + 1:000000}", $"Công ty {EnterpriseNames[(i * 3) % EnterpriseNames.Length]} {Surnames[i % Surnames.Length]} {i + 1}",
                "NonStateEnterprise", area, union, 10 + _random.Next(400), Email($"dn{i + 1}.{Slug(p.Code)}"), from, to), district);
        }

        for (var i = 0; i < p.ArmedForces; i++)
        {
            var (area, district) = PlaceOffice(i, p.ArmedForces, districtCodes, p.Code);
            AddUnit(new UnitRow($"LL-{p.Code}-{i + 1:000}", $"Đơn vị lực lượng vũ trang {i + 1} {Lower(AreaLabel(area, district))}", "ArmedForces", area, false,
                40 + _random.Next(200), Email($"ll{i + 1}.{Slug(p.Code)}"), null, null), district);
        }

        AddFronts(communeCodes.Select((c, i) => (c.Code, CommuneName(i), c.District)), null, dayBefore);
        foreach (var (code, district) in districtCodes.Select((c, d) => (c, d)))
        {
            AddUnit(new UnitRow($"DV-{code}", $"Ban Dân vận {PartyCommittee(p.Districts[district])}", "MassMobilisationBoard", code, false, 0,
                Email($"bandanvan.{Slug(code)}"), null, dayBefore), district);
        }

        AddUnit(new UnitRow($"DV-{p.Code}", $"Ban Dân vận {PartyCommittee(p.Name)}", "MassMobilisationBoard", p.Code, false, 0,
            Email($"bandanvan.{Slug(p.Code)}"), null, null), 0);
        MergeCommunes(set, communeCodes);
        set.Units.AddRange(_units.Select(u => u.Unit));
    }

    /// <summary>
    /// The 2025 reform: the communes of each district merged, about three into one, into new communes under the
    /// province from 1 July 2025. The old communes and their UBND and front close on 30 June; villages, schools and
    /// enterprises stay where they were and follow the lineage to the new commune.
    /// </summary>
    private void MergeCommunes(DemoDataSet set, List<(string Code, int District)> communes)
    {
        var byDistrict = communes.Select((c, i) => (c.Code, c.District, Index: i)).GroupBy(c => c.District).ToList();
        var counts = Apportion(profile.CommunesAfterReform, byDistrict.Select(g => (double)g.Count()).ToArray());
        var merged = new List<(string Code, string Name, int District)>();
        for (var d = 0; d < byDistrict.Count; d++)
        {
            var old = byDistrict[d].ToList();
            var groups = (int)Math.Clamp(counts[d], 1, old.Count);
            for (var g = 0; g < groups; g++)
            {
                var members = old.Skip(g * old.Count / groups).Take(((g + 1) * old.Count / groups) - (g * old.Count / groups)).ToList();
                var code = $"{profile.Code}-X{merged.Count + 1:000}";
                // The reform kept wards and communes only: a merger that took in a ward or a town is a ward.
                var name = (members.Any(m => CommuneType(m.Index) != "Xã") ? "Phường " : "Xã ") + Place(members[0].Index);
                set.Areas.Add(new AreaRow(code, name, "Commune", profile.Code, DistrictsAbolished, null));
                foreach (var member in members)
                    set.Lineage.Add(new LineageRow(member.Code, code, DistrictsAbolished));
                AddUnit(new UnitRow($"UB-{code}", $"UBND {name}", "Commune", code, true, 30 + _organisations.Next(30), Email($"ubnd.{Slug(code)}"), DistrictsAbolished, null),
                    byDistrict[d].Key);
                merged.Add((code, name, byDistrict[d].Key));
            }
        }

        AddFronts(merged, DistrictsAbolished, null);
    }

    /// <summary>Ủy ban MTTQ and the political-social organisations of each commune: one reporting unit a commune.</summary>
    private void AddFronts(IEnumerable<(string Code, string Name, int District)> communes, DateOnly? from, DateOnly? to)
    {
        foreach (var (code, name, district) in communes)
        {
            AddUnit(new UnitRow($"MT-{code}", $"Ủy ban MTTQ và các tổ chức chính trị - xã hội {name}", "FrontAndMassOrganisations", code, false, 0,
                Email($"mttq.{Slug(code)}"), from, to), district);
        }
    }

    public void GenerateValues(DemoDataSet set, IEnumerable<string> periodCodes)
    {
        foreach (var code in periodCodes)
        {
            var period = PeriodCalendar.Default.Create(code);
            var active = _units.Where(u => Dates.Contains(u.Unit.ActiveFrom, u.Unit.ActiveTo, period.End)).ToList();
            // Gaps never fall on the districts whose shares are pinned, or the pinned share would move.
            var candidates = active.Where(u => !(PinnedAgreementShares.ContainsKey(u.District) && u.Unit.Kind == "NonStateEnterprise") && !IsOrganisation(u.Unit)).ToList();
            var silent = Pick(candidates.Where(u => u.Unit.Kind != "Village").ToList(), SilentUnitsPerPeriod, period.Code + "silent");
            var partial = Pick(candidates.Where(u => u.Unit.Kind is "Commune" or "StateAgency" or "NonStateEnterprise").ToList(), PartialUnitsPerPeriod, period.Code + "partial");
            silent.UnionWith(Pick(active.Where(u => IsOrganisation(u.Unit) && OrganisationFigures(u.Unit, period).Count > 0).ToList(),
                SilentOrganisationsPerPeriod, period.Code + "silent organisations"));
            var values = new List<ValueRow>();
            var agreementSigned = new Dictionary<int, int>();
            foreach (var (unit, district) in active)
            {
                if (silent.Contains(unit.Code))
                    continue;
                if (IsOrganisation(unit))
                {
                    values.AddRange(OrganisationValues(unit, period));
                    continue;
                }

                var kind = UnitImport(unit.Kind);
                var skip = partial.Contains(unit.Code) ? SkippedIndicator(kind, period.Type) : null;
                var own = new Dictionary<string, string>();
                foreach (var indicator in IndicatorCatalogue.All)
                {
                    if (indicator.PeriodType != period.Type || !indicator.Population.Includes(kind, unit.HasTradeUnion))
                        continue;
                    if (HeldByOrganisations.Contains(indicator.Code))
                    {
                        // Not this unit's figure to report. The draw it once took is still made, so that every other
                        // figure of the demo is what it was when every unit reported these.
                        _random.Next();
                        continue;
                    }

                    var value = Value(indicator.Code, unit, district, period, agreementSigned, own);
                    own[indicator.Code] = value;
                    if (indicator.Code != skip)
                        values.Add(new ValueRow(unit.Code, period.Code, indicator.Code, value));
                }
            }

            foreach (var ((pinnedPeriod, indicator), total) in PinnedTotals)
            {
                if (pinnedPeriod == period.Code)
                    Pin(values, indicator, total);
            }

            // Settled mediation cases never exceed the cases received.
            if (PinnedTotals.ContainsKey((period.Code, "MEDIATION_SUCCESSES")))
                CapSuccesses(values);
            set.Values.AddRange(values);
        }
    }

    private static bool IsOrganisation(UnitRow unit) => unit.Kind is "FrontAndMassOrganisations" or "MassMobilisationBoard";

    /// <summary>What a front or a Ban Dân vận reports for a period of this type (nothing, for the other type).</summary>
    private static List<string> OrganisationFigures(UnitRow unit, Period period) =>
        FiguresOf[UnitImport(unit.Kind)].Where(c => IndicatorCatalogue.Get(c).PeriodType == period.Type).ToList();

    /// <summary>A front's propaganda (each half-year) or a Ban Dân vận's "Dân vận khéo" models (a stock at each year's end).</summary>
    private List<ValueRow> OrganisationValues(UnitRow unit, Period period)
    {
        var kind = UnitImport(unit.Kind);
        var codes = OrganisationFigures(unit, period);
        if (codes.Count == 0)
            return [];
        var r = _organisations;
        var growth = 1 + ((period.Year - 2019) * 0.08);
        long[] figures;
        if (kind == UnitKind.FrontAndMassOrganisations)
        {
            var sessions = (long)((60 + r.Next(260)) * growth);
            figures = [sessions, sessions * (20 + r.Next(30))];
        }
        else
        {
            // Each board counts the models of its own level, so that an area's sum is its stock; once districts are
            // gone the province's board counts them all.
            var scale = unit.AreaCode != profile.Code ? 50 + r.Next(60) : period.End < DistrictsAbolished ? 150 + r.Next(100) : 1200 + r.Next(300);
            var registered = (long)(scale * growth);
            var recognised = (long)(registered * (0.2 + (r.NextDouble() * 0.1)));
            figures = [registered, recognised, (long)(recognised * (0.2 + (r.NextDouble() * 0.15)))];
        }

        return codes.Select((c, i) => new ValueRow(unit.Code, period.Code, c, Count(figures[i]))).ToList();
    }

    private string Value(string indicator, UnitRow unit, int district, Period period, Dictionary<int, int> agreementSigned, Dictionary<string, string> own)
    {
        var quality = _districtQuality[district] + (period.Year - 2019) * 0.02;
        var size = Math.Max(1, unit.Headcount);
        return indicator switch
        {
            "REGULATION_ISSUED" => Bool(_random.NextDouble() < quality + 0.17),
            "DISCLOSURE_POSTED" => Bool(_random.NextDouble() < quality + 0.15),
            "INSPECTION_BOARD_CONSTITUTED" => Bool(_random.NextDouble() < quality + 0.16),
            "STAFF_CONFERENCE_HELD" => Bool(_random.NextDouble() < quality + 0.14),
            "VILLAGE_CONVENTION_RECOGNISED" => Bool(_random.NextDouble() < quality + 0.12),
            "NEW_RURAL_STANDARD" => Bool(_random.NextDouble() < 0.35 + (period.Year - 2019) * 0.2),
            "CLA_SIGNED" when unit.Kind == "StateEnterprise" => Bool(_random.NextDouble() < 0.93),
            "CLA_SIGNED" => Bool(SignAgreement(district, agreementSigned, quality - 0.12)),
            "WORKER_CONFERENCE_HELD" => Bool(_random.NextDouble() < (unit.Kind == "StateEnterprise" ? 0.95 : quality - 0.08)),
            "WORKPLACE_DIALOGUES" => Count(_random.NextDouble() < quality - 0.05 ? (DialoguesByTheLaw && period.Year < 2021 ? 3 : 1) + _random.Next(3) : 0),
            "DIALOGUE_CONFERENCES" => Count(_random.NextDouble() < quality ? 1 : 0),
            "CITIZEN_RECEPTION_DAYS" => Count(_random.NextDouble() < quality + 0.1 ? 12 : 8 + _random.Next(4)),
            "PEOPLE_TO_INFORM" => Count(size),
            "PEOPLE_INFORMED" => Count(_random.NextDouble() < quality + 0.12 ? size : (int)(size * (0.7 + _random.NextDouble() * 0.25))),
            "MEDIATION_TEAMS" => Count(1 + _random.Next(4)),
            "MEDIATORS" => Count(10 + _random.Next(30)),
            "MEDIATION_CASES" => Count(_random.Next(4)),
            "MEDIATION_SUCCESSES" => Count(Successes(own, "MEDIATION_CASES", quality - 0.1)),
            "COMPLAINTS_RECEIVED" => Count(_random.Next(8)),
            "COMPLAINTS_RESOLVED" => Count(Successes(own, "COMPLAINTS_RECEIVED", quality + 0.02)),
            "INSPECTION_SUPERVISIONS" => Count(_random.NextDouble() < 0.3 ? 1 : 0),
            "INVESTMENT_SUPERVISIONS" => Count(_random.Next(2)),
            _ => Count(_random.Next(3)),
        };
    }

    /// <summary>How many of the cases counted so far (settled mediations, resolved complaints) succeeded, each with the rate.</summary>
    private int Successes(Dictionary<string, string> own, string cases, double rate)
    {
        var total = own.TryGetValue(cases, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
        var successes = 0;
        for (var i = 0; i < total; i++)
        {
            if (_random.NextDouble() < rate)
                successes++;
        }

        return successes;
    }

    private bool SignAgreement(int district, Dictionary<int, int> signed, double rate)
    {
        if (!PinnedAgreementShares.TryGetValue(district, out var pinned))
            return _random.NextDouble() < rate;
        var done = signed.GetValueOrDefault(district);
        signed[district] = done + 1;
        return done < pinned.Signed;
    }

    /// <summary>Scales the values of one indicator so they add up to a total, by largest remainder.</summary>
    private static void Pin(List<ValueRow> values, string indicator, long total)
    {
        var rows = values.Select((v, i) => (v, i)).Where(x => x.v.Indicator == indicator).ToList();
        if (rows.Count == 0)
            return;
        var weights = rows.Select(x => (double)long.Parse(x.v.Value, CultureInfo.InvariantCulture) + 0.01).ToArray();
        var shares = Apportion(total, weights);
        for (var k = 0; k < rows.Count; k++)
            values[rows[k].i] = rows[k].v with { Value = shares[k].ToString(CultureInfo.InvariantCulture) };
    }

    public static long[] Apportion(long total, double[] weights)
    {
        var sum = weights.Sum();
        var exact = weights.Select(w => total * w / sum).ToArray();
        var result = exact.Select(e => (long)Math.Floor(e)).ToArray();
        var left = total - result.Sum();
        foreach (var index in exact.Select((e, i) => (Remainder: e - Math.Floor(e), i)).OrderByDescending(x => x.Remainder).ThenBy(x => x.i).Take((int)left))
            result[index.i]++;
        return result;
    }

    private static void CapSuccesses(List<ValueRow> values)
    {
        var cases = values.Where(v => v.Indicator == "MEDIATION_CASES").ToDictionary(v => v.UnitCode, v => long.Parse(v.Value, CultureInfo.InvariantCulture));
        long excess = 0;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Indicator != "MEDIATION_SUCCESSES" || !cases.TryGetValue(values[i].UnitCode, out var limit))
                continue;
            var v = long.Parse(values[i].Value, CultureInfo.InvariantCulture);
            if (v > limit)
            {
                excess += v - limit;
                values[i] = values[i] with { Value = limit.ToString(CultureInfo.InvariantCulture) };
            }
        }

        for (var i = 0; i < values.Count && excess > 0; i++)
        {
            if (values[i].Indicator != "MEDIATION_SUCCESSES" || !cases.TryGetValue(values[i].UnitCode, out var limit))
                continue;
            var v = long.Parse(values[i].Value, CultureInfo.InvariantCulture);
            var add = Math.Min(excess, limit - v);
            if (add <= 0)
                continue;
            excess -= add;
            values[i] = values[i] with { Value = (v + add).ToString(CultureInfo.InvariantCulture) };
        }
    }

    private HashSet<string> Pick(List<(UnitRow Unit, int District)> units, int count, string salt)
    {
        var random = new Random(seed ^ StableHash(salt));
        return units.OrderBy(_ => random.Next()).Take(count).Select(u => u.Unit.Code).ToHashSet();
    }

    private static string? SkippedIndicator(UnitKind kind, PeriodType type) => (kind, type) switch
    {
        (_, PeriodType.Year) when kind is UnitKind.StateAgency => "STAFF_CONFERENCE_HELD",
        (_, PeriodType.Year) when kind is UnitKind.NonStateEnterprise => "WORKPLACE_DIALOGUES",
        (_, PeriodType.Year) => "NEW_RURAL_STANDARD",
        (UnitKind.Commune, _) => "DIALOGUE_CONFERENCES",
        _ => "REGULATION_ISSUED",
    };

    private static UnitKind UnitImport(string kind) => Enum.Parse<UnitKind>(kind);

    private void AddUnit(UnitRow unit, int district) => _units.Add((unit, district));

    private static (string Area, int District) PlaceOffice(int i, int count, List<string> districts, string province) =>
        i < count / 4 ? (province, i % districts.Count) : (districts[i % districts.Count], i % districts.Count);

    private string AreaLabel(string area, int district) => area == profile.Code ? profile.Name : profile.Districts[district];

    /// <summary>An area's name inside a unit's name: its administrative word in lower case ("huyện Hương Sơn").</summary>
    private static string Lower(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Email(string local) => $"{local}@qcdc.example.vn";

    private static string Slug(string code) => code.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal);

    private static int StableHash(string text)
    {
        unchecked
        {
            var hash = 17;
            foreach (var c in text)
                hash = (hash * 31) + c;
            return hash;
        }
    }

    private static string CommuneName(int index) => $"{CommuneType(index)} {Place(index)}";

    private static string CommuneType(int index) => index % 11 == 0 ? "Phường" : index % 17 == 0 ? "Thị trấn" : "Xã";

    private static string Place(int index) =>
        $"{CommuneFirst[index % CommuneFirst.Length]} {CommuneSecond[(index / CommuneFirst.Length + index * 7) % CommuneSecond.Length]}";

    /// <summary>"Huyện Nghi Xuân" → "Huyện ủy Nghi Xuân", "Tỉnh Hà Tĩnh" → "Tỉnh ủy Hà Tĩnh": the Party committee whose Ban Dân vận it is.</summary>
    private static string PartyCommittee(string area)
    {
        foreach (var (level, committee) in new[] { ("Thành phố ", "Thành ủy "), ("Thị xã ", "Thị ủy "), ("Huyện ", "Huyện ủy "), ("Quận ", "Quận ủy "), ("Tỉnh ", "Tỉnh ủy ") })
        {
            if (area.StartsWith(level, StringComparison.Ordinal))
                return committee + area[level.Length..];
        }

        return area;
    }

    private static readonly string[] CommuneFirst = ["Thạch", "Cẩm", "Kỳ", "Đức", "Sơn", "Xuân", "Thiên", "Hương", "Tân", "Gia", "Phú", "Quang", "Thịnh", "Hồng", "Trung", "Yên", "An", "Vĩnh"];
    private static readonly string[] CommuneSecond = ["Long", "Hà", "Lạc", "Hòa", "Bình", "Thủy", "Tiến", "Lĩnh", "Mỹ", "Châu", "Lâm", "Điền", "Trường", "Phong", "Thành", "Nam", "Bắc", "Đông", "Tây", "Hưng", "Sơn", "Xuân", "Lộc", "Vinh"];
    private static readonly string[] VillageNames = ["Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Tân", "Yên", "Phúc"];
    private static readonly string[] ProvinceAgencyNames = ["Sở Nội vụ", "Sở Tư pháp", "Sở Y tế", "Sở Tài chính", "Sở Giáo dục và Đào tạo", "Thanh tra", "Văn phòng UBND", "Sở Tài nguyên và Môi trường"];
    private static readonly string[] DistrictAgencyNames = ["Phòng Nội vụ", "Phòng Tư pháp", "Phòng Tài chính - Kế hoạch", "Phòng Giáo dục và Đào tạo", "Thanh tra", "Văn phòng HĐND và UBND", "Phòng Tài nguyên và Môi trường"];
    private static readonly string[] ServiceNames = ["Trường Tiểu học", "Trường THCS", "Trường Mầm non", "Trạm Y tế", "Trung tâm Văn hóa - Thể thao", "Trường THPT", "Trung tâm Y tế"];
    private static readonly string[] EnterpriseNames = ["Thương mại", "Xây dựng", "Vận tải", "Chế biến nông sản", "May mặc", "Dịch vụ", "Thủy sản", "Vật liệu", "Cơ khí", "Du lịch"];
    private static readonly string[] Surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"];
}
