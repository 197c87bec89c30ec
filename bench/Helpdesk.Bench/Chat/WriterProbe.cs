using System.Diagnostics;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Chat;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Bench.Chat;

/// <summary>
/// The chat write path alone (`Helpdesk.Bench chat-writer`): the same app, agents and
/// conversations as the chat load, but customers' messages enter <see cref="ChatMessageWriter"/>
/// directly instead of through the hub, so the figures show what storing and pushing a message
/// costs (CPU per message), without the customers' SignalR traffic. A tool for tuning the
/// writer; the figures come from the chat load.
/// </summary>
public static class WriterProbe
{
    public static async Task RunAsync(int customers, int agents, int seconds)
    {
        await using var product = new HelpdeskChatTarget();
        await product.StartAsync(customers, agents);
        var writer = product.Services.GetRequiredService<ChatMessageWriter>();
        for (var round = 1; round <= 2; round++)
        {
            var sent = 0L;
            var process = Process.GetCurrentProcess();
            var cpu0 = process.TotalProcessorTime;
            var batches0 = writer.Batches;
            var clock = Stopwatch.StartNew();
            var until = TimeSpan.FromSeconds(seconds);
            await Task.WhenAll(product.Conversations.Select(async (c, i) =>
            {
                await Task.Yield();
                var n = 0;
                while (clock.Elapsed < until)
                {
                    await writer.AppendAsync(new ChatAppend(c.Ticket, "probe message " + n, Actor.Customer(c.Customer, "Bench"), null, $"p{round}-{i}-{n++}"));
                    Interlocked.Increment(ref sent);
                }
            }));
            var elapsed = clock.Elapsed.TotalSeconds;
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds * 1000 / sent;
            Console.WriteLine($"writer round {round}: {sent / elapsed:F0} msg/s, {cpu:F0} µs CPU per message, {(double)sent / Math.Max(1, writer.Batches - batches0):F1} per commit");
        }
    }
}
