using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace QcdcCompliance.Import.Files;

/// <summary>
/// Checks JSON text before a document is read: System.Text.Json checks UTF-8, and escapes such as <c>"\ud800"</c> that
/// stand for half a character, only when a string is read, and then throws where a user's mistake must be a message.
/// </summary>
public static class JsonText
{
    public static readonly JsonReaderOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>
    /// The text after its UTF-8 byte order mark, if it has one: Notepad and PowerShell 5 save "UTF-8" with it, and
    /// System.Text.Json's readers of bytes take it for an invalid first character.
    /// </summary>
    public static ReadOnlyMemory<byte> WithoutBom(byte[] bytes) =>
        bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? bytes.AsMemory(3) : bytes;

    /// <summary>What makes the text unreadable as JSON strings, with its line; null when every string reads (or the JSON itself is bad: the parser says where).</summary>
    public static string? Unreadable(ReadOnlySpan<byte> bytes, bool surrogates = true)
    {
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
            bytes = bytes[3..];
        if (!Utf8.IsValid(bytes))
        {
            var invalidAt = CsvTable.FirstInvalidByte(bytes);
            return $"the file is not UTF-8 text (line {Line(bytes, invalidAt)}, byte {invalidAt + 1} cannot be read); save it as UTF-8";
        }

        if (!surrogates)
            return null;
        var reader = new Utf8JsonReader(bytes, Options);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    try
                    {
                        reader.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        return $"line {Line(bytes, (int)reader.TokenStartIndex)}: a text holds an escape for half of a UTF-16 surrogate pair (\\uD800-\\uDFFF alone); write the character whole";
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the parser that reads the document names the line and position.
        }

        return null;
    }

    private static int Line(ReadOnlySpan<byte> bytes, int at) => 1 + bytes[..at].Count((byte)'\n');
}
