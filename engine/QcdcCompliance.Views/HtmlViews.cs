using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using QcdcCompliance.Reports;
using QcdcCompliance.Views.Mail;
using QcdcCompliance.Views.Reports;

namespace QcdcCompliance.Views;

/// <summary>
/// The components rendered to HTML strings with Blazor's <see cref="HtmlRenderer"/>, outside any web host. Text is
/// encoded for markup only (every Unicode range allowed): the pages are UTF-8, so Vietnamese letters stay readable in
/// the source of an e-mail. Signatures carry no ASP.NET type, so callers need no reference to it.
/// </summary>
public static class HtmlViews
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly IServiceProvider Services = new ServiceCollection()
        .AddSingleton(Encoder)
        .BuildServiceProvider();

    private static readonly MailTemplates Templates = new(RenderMail, Encoder);

    /// <summary>An e-mail's HTML part: <see cref="MailPage"/> as <see cref="RenderMail"/> renders it, filled in from its shape's template.</summary>
    public static string Mail(string title, IReadOnlyList<MailBlock> blocks) => Templates.Fill(title, blocks) ?? RenderMail(title, blocks);

    /// <summary>Appends what <see cref="Mail"/> returns to <paramref name="html"/> (a writer that reuses its buffer allocates no page per e-mail).</summary>
    public static void AppendMail(StringBuilder html, string title, IReadOnlyList<MailBlock> blocks)
    {
        if (!Templates.TryFill(html, title, blocks))
            html.Append(RenderMail(title, blocks));
    }

    /// <summary>How many shapes of e-mail content have a template.</summary>
    public static int MailShapes => Templates.Shapes;

    /// <summary>An e-mail's HTML part rendered by the component itself, the reference its templates are held to.</summary>
    public static string RenderMail(string title, IReadOnlyList<MailBlock> blocks) =>
        Render<MailPage>(new Dictionary<string, object?> { [nameof(MailPage.Title)] = title, [nameof(MailPage.Blocks)] = blocks });

    /// <summary>The review report as one HTML page.</summary>
    public static string Report(ReportDocument report) =>
        Render<ReportPage>(new Dictionary<string, object?> { [nameof(ReportPage.Report)] = report });

    /// <summary>
    /// One render on this thread's renderer. A renderer keeps every root component it rendered until it is disposed, so
    /// each thread's is replaced after <see cref="RendersPerRenderer"/> renders; the components here are synchronous,
    /// so a render completes before <c>InvokeAsync</c> returns.
    /// </summary>
    private static string Render<TComponent>(Dictionary<string, object?> parameters) where TComponent : IComponent
    {
        if (_renderer is null || _renders++ == RendersPerRenderer)
        {
            _renderer?.Dispose();
            _renderer = new HtmlRenderer(Services, NullLoggerFactory.Instance);
            _renders = 1;
        }

        var renderer = _renderer;
        return renderer.Dispatcher.InvokeAsync(() => renderer.BeginRenderingComponent<TComponent>(ParameterView.FromDictionary(parameters)).ToHtmlString())
            .GetAwaiter().GetResult();
    }

    private const int RendersPerRenderer = 256;

    [ThreadStatic] private static HtmlRenderer? _renderer;
    [ThreadStatic] private static int _renders;
}
