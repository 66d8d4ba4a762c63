@echo off
rem DFL launcher of the distribution for Windows: runs the CLI from lib\ with the java of JAVA_HOME, else of PATH (17+).
rem Needs no Maven; DJL never downloads anything (offline). Not tested by DFL's build (see docs\install.md).
setlocal
set "DFL_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java.exe")
set DJL_OFFLINE=true
set OPT_OUT_TRACKING=true
if not defined OMP_WAIT_POLICY set OMP_WAIT_POLICY=PASSIVE
"%JAVA%" -Xss8m %DFL_JAVA_OPTS% -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error "-Ddfl.home=%DFL_HOME%" -cp "%DFL_HOME%\lib\*" dfl.cli.Main %*
exit /b %ERRORLEVEL%
