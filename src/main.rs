//! The `sesinspect` binary; everything lives in the library.

fn main() -> std::process::ExitCode {
    sesinspect::main()
}
