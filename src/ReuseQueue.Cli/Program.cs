using System.CommandLine;
using ReuseQueue.Cli.Commands;

var root = new RootCommand("reuseq: run tasks on pools of reusable worker replicas.")
{
    UpCommand.Create(),
    StatusCommand.Create(),
    SubmitCommand.Create(),
    ValidateCommand.Create(),
    DemoCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
