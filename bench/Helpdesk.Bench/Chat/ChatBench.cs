namespace Helpdesk.Bench.Chat;

/// <summary>
/// Issue 3's chat load: N customers and M agents over real WebSockets. For the product and for a
/// bare echo hub in the same run: a paced phase (each customer one message a second: latency,
/// lost, duplicated) and a saturation phase (each customer sends as soon as its last message is
/// acknowledged: throughput). Prints figures and the product/echo ratios; asserts nothing.
/// </summary>
public static class ChatBench
{
    /// <param name="agentReplies">
    /// How often each agent answers each of its conversations (null: never). Agents who never answer
    /// make every conversation breach its chat SLA during the run, so the product would spend the
    /// phases escalating 1,000 chats up the ladder (pushes, supervisor mails, Hangfire jobs): the SLA
    /// bench's subject, not the chat path's. The replies are extra messages the echo hub does not get.
    /// </param>
    public static async Task RunAsync(int customers, int agents, int seconds, TimeSpan? agentReplies)
    {
        Console.WriteLine($"== Chat load: {customers} conversations, {agents} agents, {seconds} s per phase, {Environment.ProcessorCount} cores");
        Console.WriteLine("   server and clients share this machine; latency is customer send → agent receive.");
        Console.WriteLine(agentReplies is { } every
            ? $"   agents answer each conversation every {every.TotalSeconds:F0} s (helpdesk only; --silent-agents: never, and the chats breach their SLA)"
            : "   agents never answer (--silent-agents): every chat breaches its SLA and climbs the escalation ladder during the run");

        ChatLoadResult productPaced, productSaturated, echoPaced, echoSaturated;
        long batches, messages, untracked;
        await using (var product = new HelpdeskChatTarget { AgentReplyInterval = agentReplies })
        {
            await product.StartAsync(customers, agents);
            productPaced = await PhaseAsync("helpdesk paced 1/s", product.Customers, r => product.Current = r, seconds, TimeSpan.FromSeconds(1));
            productSaturated = await PhaseAsync("helpdesk saturation", product.Customers, r => product.Current = r, seconds, null);
            (batches, messages, untracked) = (product.Batches, product.Messages, product.UntrackedBatches);
            Console.WriteLine($"agent replies during the run: {product.AgentReplies:N0} acknowledged, {product.AgentReplyFailures:N0} refused");
            Console.WriteLine(await product.SideWorkAsync());
        }
        await using (var echo = new EchoChatTarget())
        {
            await echo.StartAsync(customers, agents);
            echoPaced = await PhaseAsync("echo hub paced 1/s", echo.Customers, r => echo.Current = r, seconds, TimeSpan.FromSeconds(1));
            echoSaturated = await PhaseAsync("echo hub saturation", echo.Customers, r => echo.Current = r, seconds, null);
        }

        Console.WriteLine();
        foreach (var r in new[] { productPaced, echoPaced, productSaturated, echoSaturated })
            Console.WriteLine(r.Line());
        Console.WriteLine($"group commit: {messages} messages in {batches} transactions ({(batches == 0 ? 0 : (double)messages / batches):F1} per commit; {untracked} of the commits without EF's change tracker)");
        Console.WriteLine($"ratio paced p99 helpdesk/echo: {productPaced.Percentile(99) / echoPaced.Percentile(99):F2}  (target: helpdesk p99 <= 50 ms at 1,000 conversations)");
        Console.WriteLine($"ratio saturation throughput helpdesk/echo: {productSaturated.PerSecond / echoSaturated.PerSecond:P0}  (target >= 50%)");
    }

    private static async Task<ChatLoadResult> PhaseAsync(string name, List<Func<string, string, Task<bool>>> customers,
        Action<ChatLoadResult> attach, int seconds, TimeSpan? interval)
    {
        var result = new ChatLoadResult { Name = name, Conversations = customers.Count };
        attach(result);
        await ChatLoad.RunAsync(result, customers, TimeSpan.FromSeconds(seconds), interval);
        Console.WriteLine(result.Line());
        return result;
    }
}
