using System.Security.Claims;
using QcdcCompliance.Domain;

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
}
