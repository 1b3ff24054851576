from sanyi.cli import main

main()
