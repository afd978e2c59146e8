using System.Text;

namespace QcdcCompliance.Domain;

/// <summary>
/// Which units an indicator applies to or a target counts: kinds, each either whatever its trade union or only with
/// one. Written as the catalogue's tokens: <c>XA, CQ, SN, DNNN, DN, LL, TH, MT, DV</c>, a <c>-CĐ</c> suffix for "with a trade
/// union" (<c>DN-CĐ</c>; <c>DN-CD</c> is accepted), or <c>*</c> for every kind.
/// </summary>
public readonly record struct Population(int AnyUnion, int WithUnion)
{
    private static readonly (string Token, UnitKind Kind)[] Tokens =
    [
        ("XA", UnitKind.Commune),
        ("CQ", UnitKind.StateAgency),
        ("SN", UnitKind.PublicServiceUnit),
        ("DNNN", UnitKind.StateEnterprise),
        ("DN", UnitKind.NonStateEnterprise),
        ("LL", UnitKind.ArmedForces),
        ("TH", UnitKind.Village),
        ("MT", UnitKind.FrontAndMassOrganisations),
        ("DV", UnitKind.MassMobilisationBoard),
    ];

    public static Population All { get; } = new((1 << Tokens.Length) - 1, 0);

    public bool Includes(UnitKind kind, bool hasTradeUnion)
    {
        var bit = 1 << (int)kind;
        return (AnyUnion & bit) != 0 || (hasTradeUnion && (WithUnion & bit) != 0);
    }

    /// <summary>Whether the kind is in at all (for some trade-union status).</summary>
    public bool Mentions(UnitKind kind) => ((AnyUnion | WithUnion) & (1 << (int)kind)) != 0;

    public bool IsEmpty => AnyUnion == 0 && WithUnion == 0;

    public static string TokenOf(UnitKind kind) => Tokens[(int)kind].Token;

    public static bool TryParse(string? text, out Population population, out string error)
    {
        population = default;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the population is empty";
            return false;
        }

        int any = 0, union = 0;
        foreach (var raw in text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            var token = raw.Trim().ToUpperInvariant();
            if (token is "*" or "ALL")
            {
                any |= All.AnyUnion;
                continue;
            }

            var withUnion = false;
            foreach (var suffix in new[] { "-CĐ", "-CD" })
            {
                if (token.EndsWith(suffix, StringComparison.Ordinal))
                {
                    token = token[..^suffix.Length];
                    withUnion = true;
                }
            }

            var index = Array.FindIndex(Tokens, t => t.Token == token);
            if (index < 0)
            {
                error = $"unknown unit kind '{raw.Trim()}' (use XA, CQ, SN, DNNN, DN, LL, TH, MT, DV, a -CĐ suffix for 'with a trade union', or *)";
                return false;
            }

            if (withUnion)
                union |= 1 << index;
            else
                any |= 1 << index;
        }

        population = new Population(any, union & ~any);
        return true;
    }

    public static Population Parse(string text) =>
        TryParse(text, out var population, out var error) ? population : throw new FormatException(error);

    public override string ToString()
    {
        if (AnyUnion == All.AnyUnion)
            return "*";
        var text = new StringBuilder();
        for (var i = 0; i < Tokens.Length; i++)
        {
            var bit = 1 << i;
            if ((AnyUnion & bit) != 0)
                Append(Tokens[i].Token);
            else if ((WithUnion & bit) != 0)
                Append(Tokens[i].Token + "-CĐ");
        }

        return text.ToString();

        void Append(string token)
        {
            if (text.Length > 0)
                text.Append(',');
            text.Append(token);
        }
    }
}
