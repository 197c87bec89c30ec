using Helpdesk.Bench.Chat;

if (args.Length > 0 && args[0] == "chat")
{
    int Arg(int i, int fallback) => args.Length > i && int.TryParse(args[i], out var v) ? v : fallback;
    await ChatBench.RunAsync(customers: Arg(1, 1000), agents: Arg(2, 25), seconds: Arg(3, 20));
    return;
}
Console.WriteLine("usage: Helpdesk.Bench chat [customers] [agents] [seconds]");
