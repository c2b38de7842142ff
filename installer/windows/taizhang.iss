; Inno Setup script for the Windows installer (per user, no administrator rights).
;   iscc /DAppVersion=0.1.0 installer\windows\taizhang.iss
; after `pyinstaller installer\taizhang.spec` has made dist\taizhang\ (see
; .github/workflows/windows.yml). Output: dist\taizhang-<version>-windows-x64-setup.exe.
; NOT RUN HERE (written on Linux; the Windows workflow compiles and runs it).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
; A fixed AppId: later versions upgrade the same installation in place.
AppId={{6F2D8C1E-4B7A-4E39-9C55-2A7E0B3D91F4}
AppName=台账
AppVersion={#AppVersion}
AppVerName=台账 {#AppVersion}
AppPublisher=Taizhang contributors
AppCopyright=© Taizhang contributors, MIT License
VersionInfoVersion={#AppVersion}
VersionInfoProductName=台账 Taizhang
; Per user: %LOCALAPPDATA%\Programs\Taizhang, Start menu of this user, no UAC prompt.
PrivilegesRequired=lowest
DefaultDirName={autopf}\Taizhang
DefaultGroupName=台账
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\icons\taizhang.ico
UninstallDisplayIcon={app}\taizhang.exe
UninstallDisplayName=台账 {#AppVersion}
LicenseFile=..\..\LICENSE
OutputDir=..\..\dist
OutputBaseFilename=taizhang-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; The program opens its files from inside (文件 › 打开): it claims no file type.
ChangesAssociations=no
ChangesEnvironment=no
CloseApplications=yes

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
; Inno Setup's own translation (Files/Languages of jrsoftware/issrc, for 6.5+), kept here
; for compilers that do not ship it yet.
Name: "chs"; MessagesFile: "ChineseSimplified.isl"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\taizhang\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the program folder whole (no stale libraries of an older version).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\台账"; Filename: "{app}\taizhang.exe"; WorkingDir: "{userdocs}"
Name: "{group}\台账 自检"; Filename: "{cmd}"; Parameters: "/k ""{app}\taizhang-cli.exe"" --self-test"; WorkingDir: "{userdocs}"; IconFilename: "{app}\taizhang.exe"
Name: "{group}\第三方组件许可"; Filename: "{app}\_internal\THIRD-PARTY-NOTICES.txt"
Name: "{group}\{cm:UninstallProgram,台账}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\台账"; Filename: "{app}\taizhang.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\taizhang.exe"; Description: "{cm:LaunchProgram,台账}"; Flags: nowait postinstall skipifsilent

; The uninstaller removes the program folder and the shortcuts; databases, settings and
; logs in %LOCALAPPDATA%\Taizhang are the user's work and stay.
