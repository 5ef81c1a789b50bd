fn main() {
    println!("radiome");
}
