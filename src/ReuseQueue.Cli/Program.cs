using System.CommandLine;
using ReuseQueue.Cli.Commands;

var root = new RootCommand("reuseq: run tasks on pools of reusable worker replicas.")
{
    UpCommand.Create(),
    DownCommand.Create(),
    StatusCommand.Create(),
    SubmitCommand.Create(),
    ResultCommand.Create(),
    ValidateCommand.Create(),
    DemoCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
