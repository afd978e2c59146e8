namespace QcdcCompliance.Host.Dashboard;

/// <summary>
/// The site's icon at <c>/favicon.ico</c>, drawn in code (no binary file to keep): a 32×32 icon in the header's navy
/// with a white check mark, as one 32-bit bitmap in an ICO container.
/// </summary>
public static class Favicon
{
    private const int Size = 32;

    public static readonly Lazy<byte[]> Bytes = new(Draw);

    private static byte[] Draw()
    {
        var pixels = new byte[Size * Size * 4];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                // Rows are stored bottom-up; (x, top) is the pixel as seen.
                var top = Size - 1 - y;
                var white = OnCheck(x, top);
                var i = ((y * Size) + x) * 4;
                (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]) = white ? ((byte)255, (byte)255, (byte)255, (byte)255) : ((byte)0x5B, (byte)0x35, (byte)0x12, (byte)255);
            }
        }

        var mask = new byte[Size * Size / 8];
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write((short)0);
        w.Write((short)1);
        w.Write((short)1);
        w.Write((byte)Size);
        w.Write((byte)Size);
        w.Write((byte)0);
        w.Write((byte)0);
        w.Write((short)1);
        w.Write((short)32);
        w.Write(40 + pixels.Length + mask.Length);
        w.Write(6 + 16);
        w.Write(40);
        w.Write(Size);
        w.Write(Size * 2);
        w.Write((short)1);
        w.Write((short)32);
        w.Write(0);
        w.Write(pixels.Length + mask.Length);
        w.Write(0);
        w.Write(0);
        w.Write(0);
        w.Write(0);
        w.Write(pixels);
        w.Write(mask);
        w.Flush();
        return stream.ToArray();
    }

    /// <summary>A thick check mark: a short stroke down to (13, 23), a long one up to (26, 8).</summary>
    private static bool OnCheck(int x, int y)
    {
        static double Distance(double px, double py, double ax, double ay, double bx, double by)
        {
            var (dx, dy) = (bx - ax, by - ay);
            var t = Math.Clamp((((px - ax) * dx) + ((py - ay) * dy)) / ((dx * dx) + (dy * dy)), 0, 1);
            var (cx, cy) = (ax + (t * dx), ay + (t * dy));
            return Math.Sqrt(((px - cx) * (px - cx)) + ((py - cy) * (py - cy)));
        }

        return Distance(x, y, 6, 16, 13, 23) < 2.6 || Distance(x, y, 13, 23, 26, 8) < 2.6;
    }
}
