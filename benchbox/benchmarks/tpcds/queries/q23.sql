-- TPC-DS Q23 (Appendix B.23): (a) total web and catalog sales in one month of items sold in store
-- more than 4 times on some day of four years, to the best store customers (all-time store spending
-- above TOPPERCENT% of the best four-year spending); (b) the same per customer name.
-- @param YEAR 2000 ~ uniform(1998, 2000)
-- @param MONTH 2 ~ uniform(1, 7)
-- @param TOPPERCENT 50 ~ uniform(95, 95)
with frequent_store_items as (
    -- items sold more than 4 times on some day of the four years
    select distinct i_item_sk as item_sk
    from store_sales, date_dim, item
    where d_date_sk = ss_sold_date_sk
      and i_item_sk = ss_item_sk
      and d_year between ${YEAR} and ${YEAR} + 3
    group by i_item_sk, d_date
    having count(*) > 4
),
store_spend_max as (
    select max(spend) as max_spend
    from (
        select c_customer_sk, sum(ss_quantity * ss_sales_price) as spend
        from store_sales, customer, date_dim
        where c_customer_sk = ss_customer_sk
          and d_date_sk = ss_sold_date_sk
          and d_year between ${YEAR} and ${YEAR} + 3
        group by c_customer_sk
    ) spend_in_years
),
best_store_customers as (
    -- customers whose store spending of all time exceeds TOPPERCENT% of the best four-year spend
    select c_customer_sk as customer_sk
    from store_sales, customer
    where c_customer_sk = ss_customer_sk
    group by c_customer_sk
    having sum(ss_quantity * ss_sales_price) > (${TOPPERCENT} / 100.0) * (select max_spend from store_spend_max)
)
select sum(sales) as total_sales
from (
    select cs_quantity * cs_list_price as sales
    from catalog_sales, date_dim
    where d_date_sk = cs_sold_date_sk
      and d_year = ${YEAR}
      and d_moy = ${MONTH}
      and cs_item_sk in (select item_sk from frequent_store_items)
      and cs_bill_customer_sk in (select customer_sk from best_store_customers)
    union all
    select ws_quantity * ws_list_price
    from web_sales, date_dim
    where d_date_sk = ws_sold_date_sk
      and d_year = ${YEAR}
      and d_moy = ${MONTH}
      and ws_item_sk in (select item_sk from frequent_store_items)
      and ws_bill_customer_sk in (select customer_sk from best_store_customers)
) month_sales
limit 100
;
with frequent_store_items as (
    -- items sold more than 4 times on some day of the four years
    select distinct i_item_sk as item_sk
    from store_sales, date_dim, item
    where d_date_sk = ss_sold_date_sk
      and i_item_sk = ss_item_sk
      and d_year between ${YEAR} and ${YEAR} + 3
    group by i_item_sk, d_date
    having count(*) > 4
),
store_spend_max as (
    select max(spend) as max_spend
    from (
        select c_customer_sk, sum(ss_quantity * ss_sales_price) as spend
        from store_sales, customer, date_dim
        where c_customer_sk = ss_customer_sk
          and d_date_sk = ss_sold_date_sk
          and d_year between ${YEAR} and ${YEAR} + 3
        group by c_customer_sk
    ) spend_in_years
),
best_store_customers as (
    -- customers whose store spending of all time exceeds TOPPERCENT% of the best four-year spend
    select c_customer_sk as customer_sk
    from store_sales, customer
    where c_customer_sk = ss_customer_sk
    group by c_customer_sk
    having sum(ss_quantity * ss_sales_price) > (${TOPPERCENT} / 100.0) * (select max_spend from store_spend_max)
)
select c_last_name, c_first_name, sales
from (
    select c_last_name, c_first_name, sum(cs_quantity * cs_list_price) as sales
    from catalog_sales, customer, date_dim
    where d_date_sk = cs_sold_date_sk
      and d_year = ${YEAR}
      and d_moy = ${MONTH}
      and cs_item_sk in (select item_sk from frequent_store_items)
      and cs_bill_customer_sk in (select customer_sk from best_store_customers)
      and c_customer_sk = cs_bill_customer_sk
    group by c_last_name, c_first_name
    union all
    select c_last_name, c_first_name, sum(ws_quantity * ws_list_price)
    from web_sales, customer, date_dim
    where d_date_sk = ws_sold_date_sk
      and d_year = ${YEAR}
      and d_moy = ${MONTH}
      and ws_item_sk in (select item_sk from frequent_store_items)
      and ws_bill_customer_sk in (select customer_sk from best_store_customers)
      and c_customer_sk = ws_bill_customer_sk
    group by c_last_name, c_first_name
) by_customer
order by c_last_name, c_first_name, sales
limit 100
