namespace QcdcCompliance.Demo;

/// <summary>
/// The demo province, modelled on Hà Tĩnh: its 13 district-level areas and 208 communes before 1 July 2025, the 69
/// communes the reform merged them into after, several thousand units, and values for 2019S1 to 2020. Its 2020S1
/// province totals are the seed reports' figures (98 inspection supervisions, 136 investment supervisions, 545
/// mediation teams with 4,001 members, 325 mediation cases of which 240 settled; and, reported by the communes' fronts
/// and mass organisations only, 39,284 propaganda sessions with 1,327,453 attendances). Its "Dân vận khéo" models at
/// the end of 2019, counted by the Ban Dân vận of the province and its districts only, are Bắc Kạn's 2018 figures
/// (1,200 registered, 303 recognised, 82 exemplary): the demo's first year stands for the seed's.
/// </summary>
public static class HaTinhDemo
{
    public const int Seed = 2017;
    public const string ProvinceCode = "HT";

    public static readonly IReadOnlyList<string> Periods = ["2019S1", "2019S2", "2019", "2020S1", "2020S2", "2020"];

    public static readonly ProvinceProfile Profile = new(
        ProvinceCode,
        "Tỉnh Hà Tĩnh",
        [
            "Thành phố Hà Tĩnh", "Thị xã Hồng Lĩnh", "Thị xã Kỳ Anh", "Huyện Nghi Xuân", "Huyện Đức Thọ", "Huyện Hương Sơn",
            "Huyện Vũ Quang", "Huyện Can Lộc", "Huyện Thạch Hà", "Huyện Lộc Hà", "Huyện Cẩm Xuyên", "Huyện Kỳ Anh", "Huyện Hương Khê",
        ],
        Communes: 208,
        VillagesPerCommune: 8,
        Agencies: 180,
        PublicServiceUnits: 620,
        StateEnterprises: 18,
        NonStateEnterprises: 2400,
        TradeUnionShare: 0.33,
        ArmedForces: 24)
    {
        CommunesAfterReform = 69,
    };

    /// <summary>The demo's data for its periods, and for <paramref name="laterPeriods"/> after them (2026S1, to see the reformed tree).</summary>
    public static DemoDataSet Generate(params IReadOnlyList<string> laterPeriods)
    {
        var generator = new ProvinceGenerator(Profile, Seed)
        {
            SilentUnitsPerPeriod = 5,
            PartialUnitsPerPeriod = 5,
            DialoguesByTheLaw = true,
        };

        // Huyện Nghi Xuân: 30 enterprises with a union, 21 with an agreement: exactly 70%, short of "trên 70%".
        generator.PinnedAgreementShares[3] = (30, 21);
        foreach (var (indicator, total) in new (string, long)[]
                 {
                     ("INSPECTION_SUPERVISIONS", 98), ("INVESTMENT_SUPERVISIONS", 136), ("MEDIATION_TEAMS", 545), ("MEDIATORS", 4001),
                     ("MEDIATION_CASES", 325), ("MEDIATION_SUCCESSES", 240), ("PROPAGANDA_SESSIONS", 39284), ("PROPAGANDA_ATTENDEES", 1327453),
                 })
        {
            generator.PinnedTotals[("2020S1", indicator)] = total;
        }

        foreach (var (indicator, total) in new (string, long)[] { ("MODELS_REGISTERED", 1200), ("MODELS_RECOGNISED", 303), ("MODELS_EXEMPLARY", 82) })
            generator.PinnedTotals[("2019", indicator)] = total;

        var set = new DemoDataSet();
        generator.GenerateStructure(set);
        generator.GenerateValues(set, [.. Periods, .. laterPeriods]);
        return set;
    }
}
