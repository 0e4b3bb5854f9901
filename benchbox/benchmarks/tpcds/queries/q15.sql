-- TPC-DS Q15 (Appendix B.15): catalog sales per customer zip code, in one quarter, for customers in
-- a few zip codes or states, or for sales over $500.
-- @param YEAR 2001 ~ uniform(1998, 2002)
-- @param QOY 2 ~ uniform(1, 2)
select ca_zip, sum(cs_sales_price) as total_sales
from catalog_sales, customer, customer_address, date_dim
where c_customer_sk = cs_bill_customer_sk
  and ca_address_sk = c_current_addr_sk
  and (
        substr(ca_zip, 1, 5) in ('85669', '86197', '88274', '83405', '86475', '85392', '85460', '80348', '81792')
        or ca_state in ('CA', 'WA', 'GA')
        or cs_sales_price > 500
    )
  and d_date_sk = cs_sold_date_sk
  and d_qoy = ${QOY}
  and d_year = ${YEAR}
group by ca_zip
order by ca_zip
limit 100
