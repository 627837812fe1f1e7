//! Compiles the touch UI's .slint files into Rust (included by `kiosk::ui`).
fn main() {
    // The Fluent style is only used for its palette defaults; every control the citizen
    // touches is drawn by the kiosk's own components, at the kiosk's own sizes.
    // Debug info lets the UI tests find buttons by their accessible label (ElementHandle);
    // it costs a few names per element in the binary.
    let config = slint_build::CompilerConfiguration::new().with_style("fluent-light".into()).with_debug_info(true);
    slint_build::compile_with_config("ui/app.slint", config).expect("the kiosk's .slint files compile");
}
