@echo off
rem Starts the migrate command line of this installation. Java 17 or later comes from JAVA_HOME, else the PATH;
rem JAVA_OPTS adds JVM options.
setlocal
set "TANDEM_HOME=%~dp0.."
if defined JAVA_HOME (
  set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
) else (
  set "JAVA_EXE=java.exe"
)
"%JAVA_EXE%" %JAVA_OPTS% -cp "%TANDEM_HOME%\lib\*" dev.tandem.cli.Main %*
exit /b %ERRORLEVEL%
