using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;
using QcdcCompliance.Tests.Alerts;

namespace QcdcCompliance.Tests.Storage;

/// <summary>
/// Evidence and e-mail bodies are stored compressed with a shared dictionary (issue 16), and read back exactly: the
/// stored bytes are a fraction of the text, and the e-mail the audit view shows is byte for byte the one delivered.
/// </summary>
public sealed class CompactTextTests
{
    [Fact]
    public void Any_text_comes_back_exactly_and_text_stored_before_reads_as_it_was()
    {
        var texts = new[]
        {
            "", "{}", """{"unit":{"code":"XA-01","name":"UBND xã Thạch Long 🏛"},"values":{"REGULATION_ISSUED":null}}""",
            "Kính gửi: UBND xã Thiên Lộc.\r\n\u0000\uFFFD", new string('ệ', 100_000),
        };
        foreach (var compact in new[] { CompactText.Evidence, CompactText.Mail })
        {
            foreach (var text in texts)
            {
                var stored = compact.Pack(text);
                CompactText.IsFrame(stored).Should().BeTrue();
                compact.Unpack(stored).Should().Be(text);
                compact.Unpack(Encoding.UTF8.GetBytes(text)).Should().Be(text, "a row written as text before the migration");
            }
        }

        CompactText.DictionaryId(CompactText.Evidence.Pack("{}")).Should().Be(1601u);
        CompactText.DictionaryId(CompactText.Mail.Pack("x")).Should().Be(1602u);
        var unknown = CompactText.Evidence.Pack("{}");
        unknown[6]++;
        FluentActions.Invoking(() => CompactText.Evidence.Unpack(unknown)).Should().Throw<InvalidDataException>().WithMessage("*dictionary 1857*");
    }

    [Fact]
    public void Evidence_is_packed_as_it_is_built_with_the_bytes_of_its_JSON_text()
    {
        var evidence = new System.Text.Json.Nodes.JsonObject
        {
            ["target"] = "NQ02-3", ["unit"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "UBND Phường Thạch Long 🏛", ["path"] = new System.Text.Json.Nodes.JsonArray("P01", "P01-D01") },
            ["values"] = new System.Text.Json.Nodes.JsonObject { ["PEOPLE_INFORMED"] = null, ["SHARE"] = 0.75 }, ["quote"] = "\"<b>&'\u0001",
        };

        var packed = QcdcCompliance.Findings.FindingBuilder.Pack(evidence);

        CompactText.IsFrame(packed).Should().BeTrue();
        CompactText.Evidence.Unpack(packed).Should().Be(evidence.ToJsonString(QcdcCompliance.Findings.FindingBuilder.Json));
        var draft = new QcdcCompliance.Findings.FindingDraft("NQ02-3", SubjectType.Unit, 1, "XA1", "Xã Một", null, Severity.High,
            new Measurement(FindingOutcome.Missing, null, null, null, ComparisonOperator.AtLeast, 1_000_000, null), packed);
        draft.Evidence.Should().Be(CompactText.Evidence.Unpack(packed));
        draft.Should().Be(draft with { PackedEvidence = CompactText.Evidence.Pack(draft.Evidence) }, "drafts are equal when their evidence reads the same");
        new Finding { TargetCode = "NQ02-3", SubjectCode = "XA1", Measurement = draft.Measurement, PackedEvidence = packed }.Evidence.Should().Be(draft.Evidence);
    }

    [Fact]
    public async Task A_run_stores_its_evidence_and_alerts_compressed_and_the_audit_view_shows_the_delivered_bytes()
    {
        var options = AlertScenario.Options();
        await using var engine = await AlertScenario.EngineAsync(options);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        List<(long Id, string Evidence)> findings;
        await using (var db = engine.Db())
            findings = (await db.Findings.AsNoTracking().ToListAsync()).Select(f => (f.Id, f.Evidence)).ToList();
        var outbox = await engine.OutboxAsync();
        outbox.Where(m => m.Kind == MessageKind.UnitAlert).Should().NotBeEmpty();

        // Unit alerts are rendered when delivered: what the audit view shows of one still pending is what delivery then sends.
        var queries = engine.Services.GetRequiredService<OutboxQueries>();
        var pending = new Dictionary<long, byte[]>();
        foreach (var message in outbox)
        {
            using var shown = new MemoryStream();
            (await queries.WriteAsSentAsync(message.Id, shown)).Should().BeTrue();
            pending[message.Id] = shown.ToArray();
        }

        (await engine.Delivery().DeliverDueAsync()).Sent.Should().Be(outbox.Count);

        findings.Should().HaveCountGreaterThan(3);
        outbox.Should().HaveCountGreaterThan(3);
        await using (var raw = new SqliteConnection(engine.Storage.ConnectionString))
        {
            await raw.OpenAsync();
            async Task<(long Blobs, long Rows, long Stored)> Column(string table, string column)
            {
                await using var command = raw.CreateCommand();
                command.CommandText = $"SELECT sum(typeof(\"{column}\") = 'blob'), count(*), sum(length(\"{column}\")) FROM \"{table}\"";
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            }

            var evidence = await Column("Findings", "Evidence");
            evidence.Blobs.Should().Be(evidence.Rows, "every evidence is stored as a compressed frame");
            var text = findings.Sum(f => (long)Encoding.UTF8.GetByteCount(f.Evidence));
            evidence.Stored.Should().BeLessThan(text / 4, $"the dictionary holds what evidence repeats ({text:N0} bytes of text)");
            var bodies = await Column("OutboxMessages", "TextBody");
            bodies.Blobs.Should().Be(bodies.Rows);
            bodies.Stored.Should().BeLessThan(outbox.Sum(m => (long)Encoding.UTF8.GetByteCount(m.TextBody)) / 4);
        }

        foreach (var message in outbox)
        {
            var delivered = await File.ReadAllBytesAsync(Path.Combine(options.PickupFolder, OutboxMail.FileName(message)));
            using var shown = new MemoryStream();
            (await queries.WriteAsSentAsync(message.Id, shown)).Should().BeTrue();
            shown.ToArray().Should().Equal(delivered, $"the audit view of message {message.Id} is what was delivered, byte for byte");
            pending[message.Id].Should().Equal(delivered, $"the audit view of message {message.Id} before delivery is what was then delivered");
            var mail = MimeKit.MimeMessage.Load(new MemoryStream(delivered));
            // On the wire, and so in the file, lines end in CRLF; the row holds the text as composed.
            (mail.TextBody!.ReplaceLineEndings("\n"), mail.HtmlBody?.ReplaceLineEndings("\n")).Should().Be((message.TextBody, message.HtmlBody));
        }

        (await queries.WriteAsSentAsync(outbox.Max(m => m.Id) + 1, Stream.Null)).Should().BeFalse();
        var cli = await Infrastructure.HostProcess.RunAsync(engine.Storage, "outbox", "show", outbox[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        cli.Should().Contain("X-Qcdc-Outbox-Key: " + outbox[0].Key);
        MimeKit.MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(cli))).TextBody!.ReplaceLineEndings("\n").Should().Be(outbox[0].TextBody);

        // The operator changes the sender since: a sent message is still shown as it went out, sender and Message-ID.
        var first = MimeKit.MimeMessage.Load(new MemoryStream(await File.ReadAllBytesAsync(Path.Combine(options.PickupFolder, OutboxMail.FileName(outbox[0])))));
        var changed = await Infrastructure.HostProcess.RunToExitAsync(engine.Storage,
            new Dictionary<string, string> { ["Alerts__From"] = "Ban Chỉ đạo khác <khac@example.org>", ["Alerts__MessageIdDomain"] = "example.org" },
            "outbox", "show", outbox[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var shownNow = MimeKit.MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(changed.Output)));
        (shownNow.From.ToString(), shownNow.MessageId).Should().Be((first.From.ToString(), first.MessageId));
    }
}
