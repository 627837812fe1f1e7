//! Compiles the display's boards (`ui/boards.slint`) into Rust, included by `display::boards`.
fn main() {
    // Debug info lets tests find the results board's buttons by their accessible label.
    let config = slint_build::CompilerConfiguration::new().with_style("fluent-dark".into()).with_debug_info(true);
    slint_build::compile_with_config("ui/boards.slint", config).expect("the display's .slint files compile");
}
