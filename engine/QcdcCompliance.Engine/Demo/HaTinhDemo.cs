namespace QcdcCompliance.Demo;

/// <summary>
/// The demo province, modelled on Hà Tĩnh: its 13 district-level areas before 1 July 2025, about 200 communes and
/// several thousand units, with values for 2019S1 to 2020 whose province totals for 2020S1 are the seed reports'
/// figures (98 inspection supervisions, 136 investment supervisions, 545 mediation teams with 4,001 members, 325
/// mediation cases of which 240 settled, 39,284 propaganda sessions with 1,327,453 attendances) and whose 2019
/// "Dân vận khéo" models add up to Bắc Kạn's 2018 figures (1,200 registered, 303 recognised, 82 exemplary).
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
        ArmedForces: 24);

    public static DemoDataSet Generate()
    {
        var generator = new ProvinceGenerator(Profile, Seed)
        {
            SilentUnitsPerPeriod = 5,
            PartialUnitsPerPeriod = 5,
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

        foreach (var (indicator, total) in new (string, long)[] { ("MODELS_REGISTERED", 600), ("MODELS_RECOGNISED", 150), ("MODELS_EXEMPLARY", 41) })
        {
            generator.PinnedTotals[("2019S1", indicator)] = total;
            generator.PinnedTotals[("2019S2", indicator)] = indicator switch { "MODELS_REGISTERED" => 600, "MODELS_RECOGNISED" => 153, _ => 41 };
        }

        var set = new DemoDataSet();
        generator.GenerateStructure(set);
        generator.GenerateValues(set, Periods);
        return set;
    }
}
