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

    /// <summary>How logs and audit records name the principal: <c>apikey:12 "Tổ kiểm tra" auditor@D1</c>.</summary>
    public static string Describe(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? $"{LogText.Escape(user.PrincipalIdOf() ?? "?")} \"{LogText.Escape(user.Identity.Name)}\" {user.FindFirstValue(Role)}@{user.AreaCodeOf()}"
            : "anonymous";
}
