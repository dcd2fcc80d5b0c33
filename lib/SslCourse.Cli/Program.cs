using SslCourse.Cli;

// ssl-course: thin verbs over the notebook engine and the library.
return await Cli.MainAsync(args);
