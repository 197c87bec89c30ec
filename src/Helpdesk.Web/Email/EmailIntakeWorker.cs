using System.Data.Common;
using System.Net.Sockets;
using Helpdesk.Core.Email;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Helpdesk.Web.Email;

/// <summary>
/// Takes one mailbox's mail in, for as long as the app runs: connect (reconnecting with capped
/// exponential backoff), take every mail without our processed keyword in UID order, then wait
/// with IDLE (or poll when the server has no IDLE). A mail is flagged processed only after its
/// ticket is committed; if the app dies in between, the next pass finds its Message-ID stored and
/// only flags it. A mail that cannot be taken in is moved to the quarantine folder and listed for
/// admins. The original always stays on the server: nothing is deleted.
/// </summary>
public sealed class EmailIntakeWorker(
    string mailboxName,
    IServiceScopeFactory scopes,
    IOptions<EmailOptions> options,
    MailIntakeStatus status,
    TimeProvider clock,
    ILogger<EmailIntakeWorker> log) : BackgroundService
{
    public const string ProcessedKeyword = "$HelpdeskProcessed";
    private const int StatementFailuresBeforeQuarantine = 3;

    private static readonly HashSet<string> Processed = [ProcessedKeyword];
    private readonly Dictionary<uint, int> _statementFailures = [];

    private MailboxOptions Mailbox => options.Value.Mailboxes.Single(m => m.Name == mailboxName);
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            using var client = new ImapClient { Timeout = 60_000 };
            try
            {
                var m = Mailbox;
                await client.ConnectAsync(m.Host, m.Port, MailConnections.Socket(m.Security), stop);
                await client.AuthenticateAsync(m.User, m.Password, stop);
                var folder = await client.GetFolderAsync(m.Folder, stop);
                await folder.OpenAsync(FolderAccess.ReadWrite, stop);
                status.Connected(mailboxName, Now);
                log.LogInformation("Mailbox {Mailbox}: connected to {Host}:{Port} as {User}, folder {Folder}, {Mode}",
                    mailboxName, m.Host, m.Port, m.User, m.Folder, UsesIdle(client) ? "IDLE" : "polling");
                failures = 0;
                while (!stop.IsCancellationRequested)
                {
                    await DrainAsync(client, folder, stop);
                    await WaitForMailAsync(client, folder, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failures++;
                var delay = Backoff.Delay(failures, options.Value.ReconnectFirstDelay, options.Value.ReconnectMaxDelay);
                var problem = Describe(e);
                status.Failed(mailboxName, problem, Now);
                // Host, port and user help an admin; the password is never part of a message.
                log.LogWarning("Mailbox {Mailbox} ({Host}:{Port} as {User}): {Problem}. Next try in {Delay}.",
                    mailboxName, Mailbox.Host, Mailbox.Port, Mailbox.User, problem, delay);
                try { await Task.Delay(delay, clock, stop); }
                catch (OperationCanceledException) { break; }
            }
            finally
            {
                if (client.IsConnected)
                    try { await client.DisconnectAsync(true, CancellationToken.None); } catch (Exception) { /* closing anyway */ }
            }
        }
    }

    private bool UsesIdle(ImapClient client) => options.Value.UseIdle && client.Capabilities.HasFlag(ImapCapabilities.Idle);

    /// <summary>
    /// Everything not yet flagged, in UID order, fetched in batches (one round trip each); each batch
    /// is taken in with one commit, then its mails are flagged with one STORE. A mail the batch
    /// could not take is tried again on its own, and quarantined if it fails there too.
    /// </summary>
    private async Task DrainAsync(ImapClient client, IMailFolder folder, CancellationToken stop)
    {
        while (true)
        {
            var waiting = (await folder.SearchAsync(SearchQuery.NotKeyword(ProcessedKeyword), stop)).OrderBy(u => u.Id).ToList();
            if (waiting.Count == 0)
                return;
            foreach (var batch in waiting.Chunk(options.Value.FetchBatchSize))
            {
                var raws = new Dictionary<UniqueId, byte[]>();
                await ((ImapFolder)folder).GetStreamsAsync(batch, async (_, _, uid, stream, ct) =>
                {
                    using var copy = new MemoryStream();
                    await stream.CopyToAsync(copy, ct);
                    raws[uid] = copy.ToArray();
                }, stop);

                var parsed = new List<IncomingMail>();
                var broken = new List<(UniqueId Uid, string Reason)>();
                foreach (var uid in batch)
                {
                    if (!raws.TryGetValue(uid, out var raw))
                        continue; // expunged meanwhile by someone else
                    var (mail, reason) = Read(uid, raw);
                    if (mail is not null)
                        parsed.Add(new IncomingMail(uid.Id, mail));
                    else
                        broken.Add((uid, reason!));
                }

                var done = new List<UniqueId>();
                try
                {
                    if (parsed.Count > 0)
                    {
                        IntakeBatchResult outcome;
                        try
                        {
                            await using var scope = scopes.CreateAsyncScope();
                            outcome = await scope.ServiceProvider.GetRequiredService<EmailIntake>().TakeBatchAsync(mailboxName, parsed, stop);
                        }
                        catch (Exception e) when (parsed.Count > 1 && !stop.IsCancellationRequested)
                        {
                            // Nothing of the batch committed (a database that doomed the whole transaction,
                            // say): each mail alone, where a mail at fault ends in quarantine instead of
                            // failing its batch on every pass.
                            log.LogWarning("Mailbox {Mailbox}: a batch of {Count} mails failed as a whole ({Problem}); taking them one by one",
                                mailboxName, parsed.Count, Describe(e));
                            outcome = new IntakeBatchResult([], parsed.Select(p => (p.Uid, e)).ToList());
                        }
                        foreach (var (uid, result) in outcome.Taken)
                        {
                            done.Add(new UniqueId((uint)uid));
                            _statementFailures.Remove((uint)uid);
                            status.Took(mailboxName);
                            log.LogDebug("Mailbox {Mailbox}: UID {Uid} {Kind} ticket {Number}", mailboxName, uid, result.Kind, result.TicketNumber);
                        }
                        foreach (var (uid, error) in outcome.Failed)
                        {
                            // Undone by its savepoint while the rest of the batch committed: on its own
                            // now, where a retry may cure it and a second refusal quarantines it.
                            log.LogInformation("Mailbox {Mailbox}: UID {Uid} failed in its batch ({Problem}); trying it alone", mailboxName, uid, error.Message);
                            var unique = new UniqueId((uint)uid);
                            if (await TakeOneAsync(unique, raws[unique], stop) is { } reason)
                                broken.Add((unique, reason));
                            else
                                done.Add(unique);
                        }
                    }
                }
                finally
                {
                    // Only now, after the commits: a crash before this line leaves the keyword unset,
                    // and the next pass recognises the stored Message-IDs.
                    if (done.Count > 0)
                        await folder.AddFlagsAsync(done, MessageFlags.None, Processed, silent: true, stop);
                }
                foreach (var (uid, reason) in broken)
                    await QuarantineAsync(client, folder, uid, raws[uid], reason, stop);
            }
        }
    }

    /// <summary>The parsed mail, or why it cannot be read (what sends it to quarantine).</summary>
    private (InboundMail? Mail, string? Reason) Read(UniqueId uid, byte[] raw)
    {
        try
        {
            return (MailReader.Read(raw, options.Value.MaxAttachmentBytes), null);
        }
        catch (UnusableMailException e)
        {
            return (null, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Mailbox {Mailbox}: UID {Uid} could not be read", mailboxName, uid.Id);
            return (null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Null when the mail is in (or was already); otherwise why it goes to quarantine. Throws for what a retry may cure.</summary>
    private async Task<string?> TakeOneAsync(UniqueId uid, byte[] raw, CancellationToken stop)
    {
        try
        {
            var mail = MailReader.Read(raw, options.Value.MaxAttachmentBytes);
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<EmailIntake>().TakeAsync(mailboxName, uid.Id, mail, stop);
            _statementFailures.Remove(uid.Id);
            status.Took(mailboxName);
            log.LogDebug("Mailbox {Mailbox}: UID {Uid} {Kind} ticket {Number}", mailboxName, uid.Id, result.Kind, result.TicketNumber);
            return null;
        }
        catch (UnusableMailException e)
        {
            return e.Message;
        }
        catch (DbUpdateException e) when (!stop.IsCancellationRequested)
        {
            // The database answered but refused this mail's statements: retried a few times (a race
            // with another node ends as a duplicate), then it is this mail that is wrong.
            var count = _statementFailures[uid.Id] = _statementFailures.GetValueOrDefault(uid.Id) + 1;
            if (count < StatementFailuresBeforeQuarantine)
                throw;
            _statementFailures.Remove(uid.Id);
            return "The database refused the mail: " + (e.InnerException?.Message ?? e.Message);
        }
        catch (Exception e) when (IsTransient(e) || stop.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            log.LogError(e, "Mailbox {Mailbox}: UID {Uid} could not be taken in", mailboxName, uid.Id);
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    private static bool IsTransient(Exception e) => e is DbException or TimeoutException or IOException or SocketException
        or ImapProtocolException or ImapCommandException or ServiceNotConnectedException or InvalidOperationException { Source: "Microsoft.Data.Sqlite" }
        || (e.InnerException is { } inner && IsTransient(inner));

    /// <summary>Listed for admins first, then moved: a failed move leaves the mail where it was, to be quarantined again.</summary>
    private async Task QuarantineAsync(ImapClient client, IMailFolder folder, UniqueId uid, byte[] raw, string reason, CancellationToken stop)
    {
        var name = Mailbox.QuarantineFolder;
        string? messageId = null, subject = null, from = null;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            var headers = HeaderList.Load(stream);
            messageId = MessageIds.Normalise(headers[HeaderId.MessageId]) ?? MessageIds.FromRawBytes(raw);
            subject = headers[HeaderId.Subject];
            from = headers[HeaderId.From];
        }
        catch (FormatException)
        {
            messageId = MessageIds.FromRawBytes(raw);
        }
        await using (var scope = scopes.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<MailQuarantine>().RecordAsync(mailboxName, uid.Id, messageId, subject, from, reason, name, stop);

        var target = await QuarantineFolderAsync(client, name, stop);
        await folder.MoveToAsync(uid, target, stop);
        log.LogWarning("Mailbox {Mailbox}: UID {Uid} ({MessageId}) moved to {Folder}: {Reason}", mailboxName, uid.Id, messageId, name, reason);
    }

    private static async Task<IMailFolder> QuarantineFolderAsync(ImapClient client, string name, CancellationToken stop)
    {
        try
        {
            return await client.GetFolderAsync(name, stop);
        }
        catch (FolderNotFoundException)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            return await root.CreateAsync(name, isMessageFolder: true, stop)
                ?? throw new InvalidOperationException($"The server did not create the folder {name}.");
        }
    }

    private async Task WaitForMailAsync(ImapClient client, IMailFolder folder, CancellationToken stop)
    {
        if (!UsesIdle(client))
        {
            status.Waiting(mailboxName, $"polling every {options.Value.PollInterval}");
            await Task.Delay(options.Value.PollInterval, clock, stop);
            return;
        }
        status.Waiting(mailboxName, "IDLE");
        using var done = new CancellationTokenSource(options.Value.IdleRefresh, clock);
        void Arrived(object? sender, EventArgs e) => done.Cancel();
        folder.CountChanged += Arrived;
        try
        {
            await client.IdleAsync(done.Token, stop);
        }
        finally
        {
            folder.CountChanged -= Arrived;
        }
    }

    private static string Describe(Exception e) => e switch
    {
        MailKit.Security.AuthenticationException => "sign-in refused (check Email:Mailboxes user and password)",
        SocketException s => $"cannot connect ({s.SocketErrorCode})",
        FolderNotFoundException f => $"folder {f.FolderName} not found",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
