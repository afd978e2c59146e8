namespace QcdcCompliance.Host.Api;

/// <summary>A what-if's figures as JSON, the same from the CLI (<c>--format json</c>) and <c>POST /api/whatif</c>.</summary>
public sealed record WhatIfDto(
    string Period, string Set, string SetScope, string? Area, IReadOnlyList<string> Provinces, IReadOnlyList<string> Targets, int Rows, int Changed,
    IReadOnlyList<WhatIfChangeDto> Changes, IReadOnlyList<WhatIfRowDto> Items)
{
    /// <summary>The proposal's own validity when it is not in force in the period and was applied as if it were (null: in force as written).</summary>
    public ProposalValidity? AppliedAsIfInForce { get; init; }
}

public sealed record WhatIfChangeDto(string SubjectType, string Now, string Proposed, int Count);

public sealed record WhatIfRowDto(string Target, string SubjectType, string SubjectCode, string SubjectName, string Now, string Proposed, bool Changes,
    WhatIfFigures? NowFigures, WhatIfFigures? ProposedFigures);

public static class WhatIfJson
{
    /// <summary>As the API writes JSON: camelCase, Vietnamese and "&gt;=" unescaped.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Options = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static WhatIfDto Of(WhatIfResult r) => new(r.Period, r.Set, r.SetScope, r.Area, r.Provinces, r.Targets, r.Rows.Count, r.Changed,
        r.Changes.Select(c => new WhatIfChangeDto(c.SubjectType.ToString(), Standings.Text(c.Now), Standings.Text(c.Proposed), c.Count)).ToList(),
        r.Rows.Select(x => new WhatIfRowDto(x.Target, x.SubjectType.ToString(), x.SubjectCode, x.SubjectName, Standings.Text(x.Now), Standings.Text(x.Proposed),
            x.Changes, x.NowFigures, x.ProposedFigures)).ToList())
    {
        AppliedAsIfInForce = r.AppliedAsIfInForce,
    };
}
