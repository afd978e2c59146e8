using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

namespace QcdcCompliance.Host.Security;

/// <summary>
/// What binds a browser session to what it stands for, checked on every request: the key (a digest of its stored hash,
/// so a key id that means another key elsewhere does not pass), the install (a random id kept in the database, so a
/// cookie of another install, or of a database created again, does not pass), and the key's session stamp (changed
/// when any session of the key signs out, which ends them all, server-side).
/// </summary>
public sealed class BrowserSessions(IDbContextFactory<QcdcDbContext> contexts)
{
    public const string InstallClaim = "qcdc:install";
    public const string KeyCheckClaim = "qcdc:key_check";
    public const string StampClaim = "qcdc:session";

    private const string InstallName = "install";

    /// <summary>The claims a new session carries beside the key holder's.</summary>
    public async Task<Claim[]> ClaimsAsync(ApiKeyHolder holder, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var install = await InstallAsync(db, ct);
        var stamp = await StampAsync(db, holder.KeyId, create: true, ct);
        return
        [
            new Claim(InstallClaim, install.ToString(CultureInfo.InvariantCulture)),
            new Claim(KeyCheckClaim, holder.KeyCheck),
            new Claim(StampClaim, stamp.ToString(CultureInfo.InvariantCulture)),
        ];
    }

    /// <summary>Whether a session's claims still hold for the key as stored now.</summary>
    public async Task<bool> HoldsAsync(ClaimsPrincipal session, ApiKeyHolder holder, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var install = await InstallAsync(db, ct);
        var stamp = await StampAsync(db, holder.KeyId, create: false, ct);
        return Same(session.FindFirstValue(InstallClaim), install.ToString(CultureInfo.InvariantCulture))
               && Same(session.FindFirstValue(KeyCheckClaim), holder.KeyCheck)
               && Same(session.FindFirstValue(StampClaim), stamp.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Ends every session of the key: a new stamp, which no cookie carries.</summary>
    public async Task EndAsync(int keyId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var name = StampName(keyId);
        var next = Random.Shared.NextInt64(1, long.MaxValue);
        if (await db.DataVersions.Where(v => v.Name == name).ExecuteUpdateAsync(s => s.SetProperty(v => v.Version, next), ct) == 0)
            await StampAsync(db, keyId, create: true, ct);
    }

    /// <summary>The id of this install: made once, at random, and kept in the database (a database made again has another).</summary>
    private static Task<long> InstallAsync(QcdcDbContext db, CancellationToken ct) => ReadOrCreateAsync(db, InstallName, ct);

    private static async Task<long> StampAsync(QcdcDbContext db, int keyId, bool create, CancellationToken ct) =>
        create ? await ReadOrCreateAsync(db, StampName(keyId), ct) : await ReadAsync(db, StampName(keyId), ct) ?? 0;

    private static Task<long?> ReadAsync(QcdcDbContext db, string name, CancellationToken ct) =>
        db.DataVersions.AsNoTracking().Where(v => v.Name == name).Select(v => (long?)v.Version).SingleOrDefaultAsync(ct);

    private static async Task<long> ReadOrCreateAsync(QcdcDbContext db, string name, CancellationToken ct)
    {
        if (await ReadAsync(db, name, ct) is { } existing)
            return existing;
        db.DataVersions.Add(new DataVersion { Name = name, Version = Random.Shared.NextInt64(1, long.MaxValue) });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node made it at the same moment: theirs stands.
            db.ChangeTracker.Clear();
        }

        return await ReadAsync(db, name, ct) ?? throw new InvalidOperationException($"the version row {name} could not be stored");
    }

    private static string StampName(int keyId) => $"session:{keyId.ToString(CultureInfo.InvariantCulture)}";

    private static bool Same(string? a, string b) =>
        a is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
