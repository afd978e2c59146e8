using System.Text;
using System.Text.Json;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// The opaque token of a list's cursor (<see cref="FindingCursor"/>, <see cref="CompletenessCursor"/>): the sort key of a
/// page's last row as a JSON array, base64url. One encoding, so that every paged list reads a bad token the same way (as
/// no token at all, which its handler answers 400).
/// </summary>
internal static class CursorToken
{
    public static string Encode(params object[] key) => System.Buffers.Text.Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(key));

    /// <summary>The token's key when it decodes to an array of <paramref name="length"/> items; read the items inside <paramref name="read"/>.</summary>
    public static bool TryDecode<T>(string? text, int length, Func<JsonElement, (bool Ok, T Value)> read, out T value)
    {
        value = default!;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        try
        {
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(text.Trim())));
            var items = json.RootElement;
            if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() != length)
                return false;
            (var ok, value) = read(items);
            return ok;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
