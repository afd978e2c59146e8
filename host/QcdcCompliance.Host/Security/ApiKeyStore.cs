using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

namespace QcdcCompliance.Host.Security;

/// <summary>A key as it was created: the only time <see cref="Key"/> is known.</summary>
public sealed record CreatedApiKey(ApiKey Row, string AreaCode, string Key);

/// <summary>An active key's holder: what a request signed in with it may do, and where.</summary>
public sealed record ApiKeyHolder(int KeyId, string Name, Role Role, int AreaId, string AreaCode, string KeyCheck)
{
    public string PrincipalId => $"apikey:{KeyId.ToString(CultureInfo.InvariantCulture)}";

    public ClaimsPrincipal Principal(string scheme)
    {
        var identity = QcdcClaims.Identity(Name, Role, AreaId, AreaCode, scheme);
        identity.AddClaim(new Claim(QcdcClaims.PrincipalId, PrincipalId));
        return new ClaimsPrincipal(identity);
    }
}

/// <summary>
/// API keys: <c>qcdc_&lt;prefix&gt;_&lt;secret&gt;</c>, 256 random bits shown once. Only the SHA-256 of the whole key is
/// stored, beside its prefix, which finds the row without scanning; the hash is compared in constant time. Every
/// request reads the row, so a revoked key stops working on the next request.
/// </summary>
public sealed class ApiKeyStore(IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock)
{
    public const string Marker = "qcdc_";
    private const int PrefixLength = 12;
    private const int SecretLength = 43;

    public async Task<CreatedApiKey> CreateAsync(string name, Role role, string areaCode, CancellationToken ct = default)
    {
        var label = name.Trim().Normalize(NormalizationForm.FormC);
        if (label.Length is 0 or > 200)
            throw new ArgumentException("a key needs a name of 1 to 200 characters (who holds it)", nameof(name));
        await using var db = await contexts.CreateDbContextAsync(ct);
        var code = areaCode.Trim().ToUpperInvariant();
        var area = await db.Areas.AsNoTracking().SingleOrDefaultAsync(a => a.Code == code, ct)
                   ?? throw new ArgumentException($"unknown area {areaCode}; import the areas first", nameof(areaCode));
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PrefixLength / 2));
        var key = $"{Marker}{prefix}_{System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        var row = new ApiKey
        {
            Name = label, Role = role, AreaId = area.Id, Prefix = prefix, KeyHash = Hash(key),
            CreatedAt = Audit.AuditChain.Truncate(clock.GetUtcNow().UtcDateTime),
        };
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(ct);
        return new CreatedApiKey(row, area.Code, key);
    }

    /// <summary>
    /// Revokes a key by id or prefix; null when there is no such key. The prefix is taken as <c>qcdc keys list</c> shows
    /// it (<c>qcdc_7ba191b9cbef_…</c>), bare (<c>7ba191b9cbef</c>), with the marker only, or as the whole key: an
    /// administrator revoking a leaked key pastes whichever is at hand.
    /// </summary>
    public async Task<ApiKey?> RevokeAsync(string idOrPrefix, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var text = idOrPrefix.Trim();
        if (TryParsePrefix(text, out var fromKey))
            text = fromKey;
        else if (text.StartsWith(Marker, StringComparison.OrdinalIgnoreCase))
            text = text[Marker.Length..].TrimEnd('…', '.').TrimEnd('_');
        var row = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, ct)
            : await db.ApiKeys.SingleOrDefaultAsync(k => k.Prefix == text.ToLowerInvariant(), ct);
        if (row is null)
            return null;
        row.RevokedAt ??= Audit.AuditChain.Truncate(clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return row;
    }

    public async Task<IReadOnlyList<(ApiKey Key, string AreaCode)>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.ApiKeys.AsNoTracking()
            .Join(db.Areas.AsNoTracking(), k => k.AreaId, a => a.Id, (k, a) => new { Key = k, a.Code })
            .OrderBy(x => x.Key.Id).ToListAsync(ct);
        return rows.Select(x => (x.Key, x.Code)).ToList();
    }

    /// <summary>The holder of an active key, or null for anything else (malformed, unknown, wrong secret, revoked).</summary>
    public async Task<ApiKeyHolder?> AuthenticateAsync(string presented, CancellationToken ct = default)
    {
        if (!TryParsePrefix(presented, out var prefix))
            return null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Prefix == prefix, ct);
        if (row is null || row.RevokedAt is not null)
            return null;
        var expected = Encoding.ASCII.GetBytes(row.KeyHash);
        var actual = Encoding.ASCII.GetBytes(Hash(presented));
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
            return null;
        return await HolderAsync(db, row, ct);
    }

    /// <summary>The holder of an active key by id (a browser session re-checks its key on every request).</summary>
    public async Task<ApiKeyHolder?> FindActiveAsync(int keyId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == keyId, ct);
        return row is null || row.RevokedAt is not null ? null : await HolderAsync(db, row, ct);
    }

    /// <summary>Whether a text has the shape of a key; gives its prefix.</summary>
    public static bool TryParsePrefix(string? text, out string prefix)
    {
        prefix = "";
        var key = text?.Trim();
        if (key is null || key.Length != Marker.Length + PrefixLength + 1 + SecretLength || !key.StartsWith(Marker, StringComparison.Ordinal)
            || key[Marker.Length + PrefixLength] != '_')
            return false;
        prefix = key.Substring(Marker.Length, PrefixLength);
        return prefix.All(char.IsAsciiHexDigitLower);
    }

    private static async Task<ApiKeyHolder?> HolderAsync(QcdcDbContext db, ApiKey row, CancellationToken ct)
    {
        var area = await db.Areas.AsNoTracking().Where(a => a.Id == row.AreaId).Select(a => a.Code).SingleOrDefaultAsync(ct);
        return area is null ? null : new ApiKeyHolder(row.Id, row.Name, row.Role, row.AreaId, area, KeyCheckOf(row.KeyHash));
    }

    /// <summary>What a browser session carries of its key: a digest of the stored hash (never the hash, never the key).</summary>
    private static string KeyCheckOf(string keyHash) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("qcdc-session|" + keyHash)))[..32];

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.Trim())));
}
