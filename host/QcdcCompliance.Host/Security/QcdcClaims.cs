using System.Security.Claims;

namespace QcdcCompliance.Host.Security;

/// <summary>
/// What a signed-in principal carries, whatever signed it in (API key, cookie, JWT): its name, role and the area it is
/// bound to. Every endpoint and page reads these through <see cref="QcdcClaims"/>.
/// </summary>
public static class QcdcClaims
{
    public const string Role = ClaimTypes.Role;
    public const string AreaId = "qcdc:area_id";
    public const string AreaCode = "qcdc:area_code";

    /// <summary>Who it is, stable across requests: <c>apikey:12</c> or <c>jwt:issuer|subject</c>. Never key material.</summary>
    public const string PrincipalId = ClaimTypes.NameIdentifier;

    public static string RoleName(Role role) => role.ToString().ToLowerInvariant();

    public static int? AreaIdOf(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(AreaId), out var id) ? id : null;

    public static string? AreaCodeOf(this ClaimsPrincipal user) => user.FindFirstValue(AreaCode);

    public static ClaimsIdentity Identity(string name, Role role, int areaId, string areaCode, string scheme) => new(
    [
        new Claim(ClaimTypes.Name, name),
        new Claim(Role, RoleName(role)),
        new Claim(AreaId, areaId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(AreaCode, areaCode),
    ], scheme, ClaimTypes.Name, Role);

    public static string? PrincipalIdOf(this ClaimsPrincipal user) => user.FindFirstValue(PrincipalId);

    public static Role? RoleOf(this ClaimsPrincipal user) =>
        Enum.TryParse<Role>(user.FindFirstValue(Role), ignoreCase: true, out var role) && Enum.IsDefined(role) ? role : null;

    /// <summary>
    /// How long <see cref="Describe"/> may be: the columns that record who wrote (a value's <c>StoredBy</c>, its audit's
    /// <c>ChangedBy</c>, an acknowledgement's <c>By</c>) hold 256 characters on every provider.
    /// </summary>
    public const int MaxDescriptionLength = 256;

    /// <summary>
    /// How logs and audit records name the principal: <c>apikey:12 "Tổ kiểm tra" auditor@D1</c>. The name reads as its holder
    /// wrote it (emoji, backslashes); only what would break a log line is escaped (<see cref="LogText.Readable"/>). A name
    /// too long for the columns that record who wrote (a key's 200 characters beside a 64-character area code) is cut with
    /// an ellipsis; the principal id before it still says which key or token it was.
    /// </summary>
    public static string Describe(this ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
            return "anonymous";
        var id = LogText.Escape(user.PrincipalIdOf() ?? "?");
        var role = $"{user.FindFirstValue(Role)}@{user.AreaCodeOf()}";
        var name = LogText.Readable(user.Identity.Name);
        var room = MaxDescriptionLength - id.Length - role.Length - 4;
        var whole = $"{id} \"{(name.Length <= room ? name : Cut(name, Math.Max(room, 1)))}\" {role}";
        return whole.Length <= MaxDescriptionLength ? whole : Cut(whole, MaxDescriptionLength);
    }

    /// <summary>The text cut to at most <paramref name="length"/> characters ending in "…", between whole letters (an emoji's two halves, a letter and its marks stay together).</summary>
    private static string Cut(string text, int length)
    {
        var end = 0;
        var letters = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        while (letters.MoveNext() && letters.ElementIndex + letters.GetTextElement().Length <= length - 1)
            end = letters.ElementIndex + letters.GetTextElement().Length;
        return text[..end] + "…";
    }
}
