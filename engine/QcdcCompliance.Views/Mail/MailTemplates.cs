using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace QcdcCompliance.Views.Mail;

/// <summary>
/// <see cref="MailPage"/> rendered once per shape of content (which blocks, how many lines and items each has) with a
/// marker in place of every text, then filled per e-mail with the texts encoded by the renderer's own encoder: the
/// same bytes as rendering the component for each e-mail, without a render per e-mail (a province's first run writes
/// 200,000 unit alerts, and a Razor render each cost more than everything else an alert needs). The component stays
/// the one description of the markup. A table is not templated (whether a column is numeric depends on its cells):
/// an e-mail with one is rendered by the component.
/// </summary>
public sealed class MailTemplates(Func<string, IReadOnlyList<MailBlock>, string> render, HtmlEncoder encoder)
{
    // Letters and digits only, so that no encoder changes them; no text an e-mail says contains it.
    private const string Marker = "qcdcslot";
    private const int MaxShapes = 4096;

    private readonly ConcurrentDictionary<string, Template> _templates = new(StringComparer.Ordinal);

    /// <summary>How many shapes have a template.</summary>
    public int Shapes => _templates.Count;

    /// <summary>The e-mail's HTML, from its shape's template; null when the content has a table (render the component).</summary>
    public string? Fill(string title, IReadOnlyList<MailBlock> blocks)
    {
        var html = new StringBuilder(4096);
        return TryFill(html, title, blocks) ? html.ToString() : null;
    }

    /// <summary>Appends the e-mail's HTML from its shape's template; false, appending nothing, when the content has a table.</summary>
    public bool TryFill(StringBuilder html, string title, IReadOnlyList<MailBlock> blocks)
    {
        var slots = new List<string>(32) { title };
        var shape = new StringBuilder(64);
        foreach (var block in blocks)
        {
            switch (block)
            {
                case MailHeading h:
                    shape.Append('H');
                    slots.Add(h.Text);
                    break;
                case MailParagraph p:
                    var lines = p.Lines;
                    shape.Append('P').Append(lines.Length.ToString(CultureInfo.InvariantCulture)).Append('.');
                    slots.AddRange(lines);
                    break;
                case MailBullets b:
                    shape.Append('B').Append(b.Items.Count.ToString(CultureInfo.InvariantCulture)).Append('.');
                    slots.AddRange(b.Items);
                    break;
                case MailLink l:
                    shape.Append('L');
                    slots.Add(l.Url);
                    slots.Add(l.Label);
                    break;
                case MailFooter f:
                    shape.Append('F');
                    slots.Add(f.Text);
                    slots.Add(f.English);
                    break;
                default:
                    return false;
            }
        }

        var key = shape.ToString();
        if (!_templates.TryGetValue(key, out var template))
        {
            template = Build(blocks, slots.Count);
            if (_templates.Count < MaxShapes)
                _templates.TryAdd(key, template);
        }

        template.Fill(html, slots, encoder);
        return true;
    }

    /// <summary>The component rendered over the same shape with the n-th text replaced by the n-th marker, cut at the markers.</summary>
    private Template Build(IReadOnlyList<MailBlock> blocks, int slotCount)
    {
        var next = 0;
        string Slot() => Marker + (next++).ToString(CultureInfo.InvariantCulture) + "x";
        var title = Slot();
        var marked = new List<MailBlock>(blocks.Count);
        foreach (var block in blocks)
        {
            marked.Add(block switch
            {
                MailHeading => new MailHeading(Slot()),
                MailParagraph p => new MailParagraph(string.Join('\n', p.Lines.Select(_ => Slot()))),
                MailBullets b => new MailBullets(b.Items.Select(_ => Slot()).ToList()),
                MailLink => new MailLink(Url: Slot(), Label: Slot()),
                MailFooter => new MailFooter(Slot(), Slot()),
                _ => throw new InvalidOperationException($"{block.GetType().Name} is not templated"),
            });
        }

        var html = render(title, marked);
        var literals = new List<string>(slotCount + 1);
        var order = new List<int>(slotCount);
        var at = 0;
        while (html.IndexOf(Marker, at, StringComparison.Ordinal) is var found and >= 0)
        {
            var end = html.IndexOf('x', found + Marker.Length);
            literals.Add(html[at..found]);
            order.Add(int.Parse(html.AsSpan(found + Marker.Length, end - found - Marker.Length), NumberStyles.None, CultureInfo.InvariantCulture));
            at = end + 1;
        }

        literals.Add(html[at..]);
        if (order.Count != slotCount || order.Distinct().Count() != slotCount)
            throw new InvalidOperationException($"the mail component showed {order.Count} of {slotCount} texts once each");
        return new Template([.. literals], [.. order]);
    }

    /// <summary>Markup between the texts, and which text goes after each piece of markup.</summary>
    private sealed record Template(string[] Literals, int[] Order)
    {
        public void Fill(StringBuilder html, List<string> slots, HtmlEncoder encoder)
        {
            using var writer = new StringWriter(html, CultureInfo.InvariantCulture);
            for (var i = 0; i < Order.Length; i++)
            {
                html.Append(Literals[i]);
                encoder.Encode(writer, slots[Order[i]]);
            }

            html.Append(Literals[^1]);
        }
    }
}
