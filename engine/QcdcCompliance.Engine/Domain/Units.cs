namespace QcdcCompliance.Domain;

/// <summary>Kind of a reporting unit (cơ sở / đơn vị).</summary>
public enum UnitKind
{
    /// <summary>UBND xã/phường/thị trấn/đặc khu (XA).</summary>
    Commune,
    /// <summary>Cơ quan hành chính nhà nước (CQ).</summary>
    StateAgency,
    /// <summary>Đơn vị sự nghiệp công lập (SN).</summary>
    PublicServiceUnit,
    /// <summary>Doanh nghiệp nhà nước (DNNN).</summary>
    StateEnterprise,
    /// <summary>Doanh nghiệp ngoài nhà nước (DN).</summary>
    NonStateEnterprise,
    /// <summary>Lực lượng vũ trang (LL).</summary>
    ArmedForces,
    /// <summary>Thôn / tổ dân phố (TH).</summary>
    Village,
    /// <summary>
    /// Ủy ban Mặt trận Tổ quốc and the political-social organisations of a commune (MT): they report the propaganda
    /// sessions and attendances that no village or enterprise owes.
    /// </summary>
    FrontAndMassOrganisations,
    /// <summary>
    /// The Ban Dân vận / steering committee of an area (DV): it counts the "Dân vận khéo" models of its area.
    /// </summary>
    MassMobilisationBoard,
}

/// <summary>What reports and what is flagged.</summary>
public sealed class Unit : Coded
{
    public required string Name { get; set; }
    public UnitKind Kind { get; set; }
    public int AreaId { get; set; }
    public bool HasTradeUnion { get; set; }
    public int? Headcount { get; set; }
    public string? ContactEmail { get; set; }
    public DateOnly? ActiveFrom { get; set; }
    public DateOnly? ActiveTo { get; set; }

    /// <summary>
    /// A unit is in a period's denominators when it is active on the period's last day, the day its figures are judged
    /// on: opened during the period is in, closed during it is out (it leaves the denominators, and could never report
    /// a state at the period's end: a commune merged away on 30/6/2025 is not one of the communes of the year 2025).
    /// </summary>
    public bool ActiveAt(Period period) => Dates.Contains(ActiveFrom, ActiveTo, period.End);
}
