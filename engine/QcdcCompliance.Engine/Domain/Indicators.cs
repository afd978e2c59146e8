namespace QcdcCompliance.Domain;

public enum IndicatorValueType
{
    Boolean,
    Count,
    /// <summary>A percentage from 0 to 100, stored in hundredths of a percent.</summary>
    Percentage,
    /// <summary>An amount in đồng.</summary>
    Amount,
}

/// <summary>How a half-year indicator reads on a year period.</summary>
public enum YearRollup
{
    /// <summary>The two halves added up (dialogues held in the year).</summary>
    Sum,
    /// <summary>The state at the end of the year: the second half's value.</summary>
    EndOfYear,
}

/// <summary>A data element of the catalogue (chỉ tiêu), see INDICATORS.md.</summary>
public sealed class Indicator : Coded
{
    public required string NameVi { get; set; }
    public required string NameEn { get; set; }
    public IndicatorValueType ValueType { get; set; }

    /// <summary>
    /// The unit kinds that may report it, as population tokens (<see cref="Domain.Population"/>). Who must report it
    /// is another matter: the targets in force and the reporting regime say so.
    /// </summary>
    public required string AppliesTo { get; set; }

    /// <summary>The period type its values are reported against.</summary>
    public PeriodType PeriodType { get; set; }

    public YearRollup YearRollup { get; set; }

    /// <summary>
    /// Whether a year reads this indicator's value of its half <paramref name="half"/> (1 or 2): a half-year count from
    /// both halves (their sum), a state or a yes/no from the second alone (the year's end); a year's own indicator from
    /// neither. The one rule of what a year reads of its halves: the year's load and its fingerprint, what an import
    /// queues the year for, what a year owes of each half and what it carries of a unit closed in its second half.
    /// </summary>
    public bool ReadByYearFrom(int half) => PeriodType == PeriodType.HalfYear && (half == 2 || YearRollup == YearRollup.Sum);

    private Population? _population;

    public Population Population => _population ??= Domain.Population.Parse(AppliesTo);
}

/// <summary>The catalogue of INDICATORS.md. Ids are fixed: data values refer to them.</summary>
public static class IndicatorCatalogue
{
    private const string AllButVillages = "XA,CQ,SN,DNNN,DN,LL";

    public static IReadOnlyList<Indicator> All { get; } =
    [
        New(1, "REGULATION_ISSUED", "Ban hành đầy đủ quy chế thực hiện dân chủ ở cơ sở", "Democracy regulation issued in full", IndicatorValueType.Boolean, AllButVillages, PeriodType.HalfYear),
        New(2, "DIALOGUE_CONFERENCES", "Số hội nghị đối thoại của người đứng đầu cấp ủy, chính quyền với Nhân dân", "Heads-to-people dialogue conferences held", IndicatorValueType.Count, "XA", PeriodType.HalfYear),
        // A state (how many of the unit's people have been informed), read at the year's end like the headcount it is compared with.
        New(3, "PEOPLE_INFORMED", "Số người được quán triệt nội dung văn bản về QCDC", "People informed of the guidance", IndicatorValueType.Count, AllButVillages, PeriodType.HalfYear, YearRollup.EndOfYear),
        New(4, "PEOPLE_TO_INFORM", "Tổng số cán bộ, đảng viên, CCVC, người lao động thuộc đơn vị", "People the unit must inform", IndicatorValueType.Count, AllButVillages, PeriodType.HalfYear, YearRollup.EndOfYear),
        New(5, "DISCLOSURE_POSTED", "Niêm yết công khai đầy đủ nội dung phải công khai", "All required content publicly posted", IndicatorValueType.Boolean, "XA,CQ,SN,DNNN,DN-CĐ", PeriodType.HalfYear),
        New(6, "STAFF_CONFERENCE_HELD", "Tổ chức hội nghị cán bộ, công chức, viên chức, người lao động", "Annual staff conference held", IndicatorValueType.Boolean, "CQ,SN", PeriodType.Year),
        New(7, "CLA_SIGNED", "Ký thỏa ước lao động tập thể", "Collective labour agreement in force", IndicatorValueType.Boolean, "DNNN,DN-CĐ", PeriodType.Year),
        New(8, "WORKER_CONFERENCE_HELD", "Tổ chức hội nghị người lao động", "Workers' conference held", IndicatorValueType.Boolean, "DNNN,DN-CĐ", PeriodType.Year),
        New(9, "WORKPLACE_DIALOGUES", "Số lần đối thoại định kỳ tại nơi làm việc", "Periodic workplace dialogues held", IndicatorValueType.Count, "DNNN,DN", PeriodType.Year),
        New(10, "INSPECTION_BOARD_CONSTITUTED", "Ban Thanh tra nhân dân được kiện toàn đúng quy định", "People's Inspection Board in place", IndicatorValueType.Boolean, "XA,CQ,SN,DNNN", PeriodType.HalfYear),
        New(11, "INSPECTION_SUPERVISIONS", "Số cuộc giám sát của Ban Thanh tra nhân dân", "People's Inspection Board supervisions", IndicatorValueType.Count, "XA,CQ,SN,DNNN", PeriodType.HalfYear),
        New(12, "INVESTMENT_SUPERVISIONS", "Số cuộc giám sát của Ban Giám sát đầu tư của cộng đồng", "Community investment supervisions", IndicatorValueType.Count, "XA", PeriodType.HalfYear),
        New(13, "MEDIATION_TEAMS", "Số tổ hòa giải", "Mediation teams", IndicatorValueType.Count, "XA", PeriodType.HalfYear, YearRollup.EndOfYear),
        New(14, "MEDIATORS", "Số hòa giải viên", "Mediation team members", IndicatorValueType.Count, "XA", PeriodType.HalfYear, YearRollup.EndOfYear),
        New(15, "MEDIATION_CASES", "Số vụ việc tiếp nhận hòa giải", "Mediation cases received", IndicatorValueType.Count, "XA", PeriodType.HalfYear),
        New(16, "MEDIATION_SUCCESSES", "Số vụ việc hòa giải thành", "Mediation cases settled", IndicatorValueType.Count, "XA", PeriodType.HalfYear),
        New(17, "COMPLAINTS_RECEIVED", "Đơn thư khiếu nại, tố cáo tiếp nhận", "Complaints and denunciations received", IndicatorValueType.Count, "XA,CQ", PeriodType.HalfYear),
        New(18, "COMPLAINTS_RESOLVED", "Đơn thư khiếu nại, tố cáo đã giải quyết", "Complaints and denunciations resolved", IndicatorValueType.Count, "XA,CQ", PeriodType.HalfYear),
        New(19, "CITIZEN_RECEPTION_DAYS", "Số ngày người đứng đầu cấp ủy tiếp dân", "Days the party head received citizens", IndicatorValueType.Count, "XA", PeriodType.HalfYear),
        // The "Dân vận khéo" models, a stock at the year's end held by the Ban Dân vận of an area (DV), and the propaganda,
        // a half-year flow held by the front and mass organisations of a commune (MT): anyone may report them, the
        // reporting regime (reporting.json) says who must, and they are optional for everyone else.
        New(20, "MODELS_REGISTERED", "Số mô hình \"Dân vận khéo\" đăng ký", "\"Dân vận khéo\" models registered", IndicatorValueType.Count, "*", PeriodType.Year),
        New(21, "MODELS_RECOGNISED", "Số mô hình \"Dân vận khéo\" được công nhận", "\"Dân vận khéo\" models recognised", IndicatorValueType.Count, "*", PeriodType.Year),
        New(22, "MODELS_EXEMPLARY", "Số mô hình \"Dân vận khéo\" điển hình", "\"Dân vận khéo\" exemplary models", IndicatorValueType.Count, "*", PeriodType.Year),
        New(23, "PROPAGANDA_SESSIONS", "Số cuộc tuyên truyền", "Propaganda sessions", IndicatorValueType.Count, "*", PeriodType.HalfYear),
        New(24, "PROPAGANDA_ATTENDEES", "Số lượt người tham dự tuyên truyền", "Propaganda attendances", IndicatorValueType.Count, "*", PeriodType.HalfYear),
        New(25, "VILLAGE_CONVENTION_RECOGNISED", "Hương ước, quy ước được công nhận", "Village convention recognised", IndicatorValueType.Boolean, "TH", PeriodType.Year),
        New(26, "NEW_RURAL_STANDARD", "Đạt chuẩn nông thôn mới", "Commune meets the new-rural standard", IndicatorValueType.Boolean, "XA", PeriodType.Year),
    ];

    private static readonly Dictionary<string, Indicator> ByCode = All.ToDictionary(i => i.Code, StringComparer.OrdinalIgnoreCase);

    private static readonly Indicator?[] ById = All.Aggregate(new Indicator?[All.Max(i => i.Id) + 1], (byId, i) => { byId[i.Id] = i; return byId; });

    public static Indicator? Find(string code) => ByCode.GetValueOrDefault(code.Trim());

    /// <summary>The indicator of that id, or null when the catalogue has none.</summary>
    public static Indicator? Find(int id) => id >= 0 && id < ById.Length ? ById[id] : null;

    public static Indicator Get(string code) =>
        Find(code) ?? throw new KeyNotFoundException($"Indicator {code} is not in the catalogue");

    private static Indicator New(int id, string code, string vi, string en, IndicatorValueType type, string appliesTo, PeriodType period, YearRollup? rollup = null) => new()
    {
        Id = id,
        Code = code,
        NameVi = vi,
        NameEn = en,
        ValueType = type,
        AppliesTo = appliesTo,
        PeriodType = period,
        YearRollup = rollup ?? (type == IndicatorValueType.Boolean ? YearRollup.EndOfYear : YearRollup.Sum),
    };
}
