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
    /// A unit is in a period's denominators when it was active on any day of it: closed before the period starts is
    /// out, opened during the period is in.
    /// </summary>
    public bool ActiveDuring(Period period) => Dates.Overlaps(ActiveFrom, ActiveTo, period.Start, period.End);
}
